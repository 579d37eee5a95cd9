// Around each test: note its sockets at the start, settle them at the end, fail it for its leaks.
#include "leak_listener.hpp"

#include <cstdio>
#include <exception>
#include <string>
#include <utility>

namespace sockdrill::testing::detail {

LeakListener::LeakListener(LeakCheckOptions options, std::unique_ptr<HeldSocketSource> source)
    : source_(std::move(source)), watch_(options, *source_), settle_ms_(options.settle_ms) {}

void LeakListener::give_up(const char* what) {
  given_up_ = true;
  // A limit of the checker, not a failure of the program: say so, and let every test pass.
  std::fprintf(stderr,
               "sockdrill leak check: cannot read the kernel's TCP sockets (%s); from here on no "
               "test is checked for socket leaks\n",
               what);
  std::fflush(stderr);
}

void LeakListener::OnTestStart(const ::testing::TestInfo&) {
  if (given_up_) return;
  try {
    watch_.test_started();
  } catch (const std::exception& e) {
    give_up(e.what());
  }
}

void LeakListener::OnTestEnd(const ::testing::TestInfo& test) {
  if (given_up_) return;
  std::vector<SocketLeak> leaks;
  try {
    leaks = watch_.test_ended();
  } catch (const std::exception& e) {
    give_up(e.what());
    return;
  }
  if (leaks.empty()) return;
  std::string message = "sockdrill leak check: " + std::string(test.test_suite_name()) + "." +
                        test.name() + " left " + std::to_string(leaks.size()) +
                        (leaks.size() == 1 ? " socket" : " sockets") + " behind (settle " +
                        std::to_string(settle_ms_) + " ms; " + kLeakCheckEnv + " tunes it)\n";
  for (const SocketLeak& leak : leaks) message += describe_leak(leak);
  // At the test's own line, where an IDE shows it; "Failure" is gtest's word for it.
  ADD_FAILURE_AT(test.file(), test.line()) << message;
}

}  // namespace sockdrill::testing::detail
