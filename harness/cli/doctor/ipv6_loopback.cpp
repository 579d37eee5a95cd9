// Doctor probe: IPv6 on the case's loopback (::1 and the per-client addresses sockdrill adds).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/cli/doctor/probe.hpp"

namespace sockdrill::doctor {
namespace {

// A client address as a case gives one (fd00:5d::N), reaching a listener on ::1.
constexpr const char* kClientAddress = "fd00:5d::1";

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

ProbeResult connect_over_ipv6() {
  const int listener = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int client = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || client < 0) return {false, errno_text("socket(AF_INET6)")};
  sockaddr_in6 at{};
  at.sin6_family = AF_INET6;
  at.sin6_addr = in6addr_loopback;
  socklen_t len = sizeof at;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) return {false, errno_text("bind [::1]")};
  if (::listen(listener, 1) != 0 || ::getsockname(listener, reinterpret_cast<sockaddr*>(&at), &len) != 0)
    return {false, errno_text("listen [::1]")};
  sockaddr_in6 from{};
  from.sin6_family = AF_INET6;
  ::inet_pton(AF_INET6, kClientAddress, &from.sin6_addr);
  const int bound = ::bind(client, reinterpret_cast<sockaddr*>(&from), sizeof from);
  if (bound != 0) return {false, errno_text("bind [fd00:5d::1]")};
  if (::connect(client, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0)
    return {false, errno_text("connect [fd00:5d::1] -> [::1]")};
  ::close(client);
  ::close(listener);
  return {true, "[" + std::string(kClientAddress) + "] connects to [::1] in a case's namespace"};
}

}  // namespace

ProbeResult probe_ipv6_loopback(const ProbeContext&) {
  return in_case_namespaces([](const IsolationInfo&) {
    if (!ipv6_available()) return ProbeResult{false, "this kernel has no IPv6 (no /proc/sys/net/ipv6)"};
    add_loopback_ipv6(kClientAddress);  // throws with the reason, as for a case's client
    return connect_over_ipv6();
  });
}

}  // namespace sockdrill::doctor
