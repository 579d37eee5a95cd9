// The case's namespaces: an IPv6 address the runner adds can be bound at once (not tentative).
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/cli/doctor/probe.hpp"

namespace sockdrill {
namespace {

// Without the wait in add_loopback_ipv6 most of these binds fail with EADDRNOTAVAIL: the kernel
// marks a new address tentative until its address work has run.
TEST(Isolation, AddedIpv6AddressesCanBeBoundAtOnce) {
  const doctor::ProbeResult r = doctor::in_case_namespaces([](const IsolationInfo&) {
    if (!ipv6_available()) return doctor::ProbeResult{true, "no IPv6 here"};
    for (int i = 1; i <= 20; ++i) {
      const std::string address = "fd00:5d::" + std::to_string(i);
      add_loopback_ipv6(address);
      const int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in6 at{};
      at.sin6_family = AF_INET6;
      ::inet_pton(AF_INET6, address.c_str(), &at.sin6_addr);
      const int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at);
      const int err = errno;
      ::close(fd);
      if (rc != 0)
        return doctor::ProbeResult{false, "expected to bind [" + address + "] right after adding it, got " +
                                              std::strerror(err)};
    }
    return doctor::ProbeResult{true, ""};
  });
  EXPECT_TRUE(r.ok) << r.detail;
}

}  // namespace
}  // namespace sockdrill
