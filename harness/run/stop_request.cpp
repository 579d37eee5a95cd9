// A polite stop of a running case: the signal is noted, the case loop ends and writes its record.
#include "harness/run/stop_request.hpp"

#include <signal.h>

#include <initializer_list>

namespace sockdrill {
namespace {
volatile sig_atomic_t g_stop = 0;
void note(int signal) { g_stop = signal; }
}  // namespace

void catch_stop_requests() {
  struct sigaction sa {};
  sa.sa_handler = note;
  sa.sa_flags = 0;  // no SA_RESTART: a ppoll() in progress returns EINTR
  ::sigemptyset(&sa.sa_mask);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

int stop_requested() { return g_stop; }

}  // namespace sockdrill
