// Doctor probe: sock_diag's destroy notices (a command's bytes on sockets freed between samples).
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "harness/cli/doctor/probe.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill::doctor {
namespace {

// Opens and frees one TCP listener on 127.0.0.1; the kernel should tell of its end.
bool free_one_socket(std::string& why) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 || ::listen(fd, 1) != 0) {
    why = std::string("cannot open a TCP listener: ") + std::strerror(errno);
    return false;
  }
  ::close(fd);
  return true;
}

}  // namespace

ProbeResult probe_destroy_notices(const ProbeContext&) {
  return in_case_namespaces([](const IsolationInfo&) {
    DestroyWatch watch;  // throws when the groups cannot be joined, as a case's sampler would
    std::string why;
    if (!free_one_socket(why)) return ProbeResult{false, why};
    // The kernel sends notices from a work queue: wait for one, up to a second.
    std::vector<SocketRecord> freed;
    for (int tries = 0; tries < 100 && freed.empty(); ++tries) {
      watch.read(freed);
      if (freed.empty()) {
        const timespec pause{0, 10'000'000};
        ::nanosleep(&pause, nullptr);
      }
    }
    if (freed.empty())
      return ProbeResult{false, "joined the TCP destroy groups, but no notice came within 1 s of a freed socket"};
    return ProbeResult{true, "a freed socket's notice arrived in a case's namespace"};
  });
}

}  // namespace sockdrill::doctor
