// Writes real NETLINK_SOCK_DIAG datagrams as seeds of fuzz_netlink (fuzz/corpus/netlink/): in a
// fresh network namespace (root only) it opens TCP sockets in several states over IPv4 and IPv6,
// dumps them with and without INET_DIAG_INFO, and catches destroy notices. Each datagram is one
// file, prefixed with the 5 bytes of context fuzz/netlink.cpp reads.
// usage: capture_sock_diag OUT_DIR
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/observe/sock_diag_request.hpp"

namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

void loopback_up() {
  const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  check(::ioctl(s, SIOCGIFFLAGS, &ifr) == 0, "SIOCGIFFLAGS");
  ifr.ifr_flags |= IFF_UP;
  check(::ioctl(s, SIOCSIFFLAGS, &ifr) == 0, "SIOCSIFFLAGS");
  ::close(s);
}

// The loopback address of `family` with `port`; its length.
socklen_t loopback(int family, std::uint16_t port, sockaddr_storage& a) {
  a = {};
  if (family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&a);
    v4->sin_family = AF_INET;
    v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    v4->sin_port = htons(port);
    return sizeof *v4;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a);
  v6->sin6_family = AF_INET6;
  v6->sin6_addr = in6addr_loopback;
  v6->sin6_port = htons(port);
  return sizeof *v6;
}

// A listening socket of `family` on loopback; its port in `port`.
int listener(int family, std::uint16_t& port) {
  const int s = ::socket(family, SOCK_STREAM, 0);
  sockaddr_storage a;
  socklen_t len = loopback(family, 0, a);
  check(::bind(s, reinterpret_cast<sockaddr*>(&a), len) == 0, "bind");
  check(::listen(s, 8) == 0, "listen");
  check(::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0, "getsockname");
  port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&a)->sin_port
                                 : reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
  return s;
}

// A connected pair (client, accepted server side) through `listen_fd`.
std::pair<int, int> connected(int family, int listen_fd, std::uint16_t port) {
  const int c = ::socket(family, SOCK_STREAM, 0);
  sockaddr_storage a;
  const socklen_t len = loopback(family, port, a);
  check(::connect(c, reinterpret_cast<sockaddr*>(&a), len) == 0, "connect");
  const int s = ::accept(listen_fd, nullptr, nullptr);
  check(s >= 0, "accept");
  return {c, s};
}

int files = 0;
void save(const std::string& dir, std::uint8_t context_byte, std::uint32_t seq, const char* data,
          std::size_t len) {
  const std::string path = dir + "/capture_" + std::to_string(++files) + ".bin";
  std::ofstream out(path, std::ios::binary);
  const char context[5] = {static_cast<char>(context_byte), static_cast<char>(seq & 0xff),
                           static_cast<char>((seq >> 8) & 0xff), static_cast<char>((seq >> 16) & 0xff),
                           static_cast<char>(seq >> 24)};
  out.write(context, sizeof context);
  out.write(data, static_cast<std::streamsize>(len));
  std::printf("%s: %zu bytes\n", path.c_str(), len);
}

// One dump of every TCP socket of `family` (byte counts when `info`); every datagram is saved.
void dump(const std::string& dir, int family, bool info, std::uint32_t seq) {
  const int nl = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  check(nl >= 0, "socket(NETLINK_SOCK_DIAG)");
  const sockdrill::TcpDumpRequest request = sockdrill::tcp_dump_request(
      static_cast<std::uint8_t>(family), ~0u, seq, info ? static_cast<std::uint8_t>(1u << (INET_DIAG_INFO - 1)) : 0);
  check(::send(nl, &request, sizeof request, 0) == static_cast<ssize_t>(sizeof request), "send");
  const std::uint8_t context = static_cast<std::uint8_t>((family == AF_INET ? 1 : 2) | (info ? 4 : 0));
  std::vector<char> buffer(65536);
  for (bool done = false; !done;) {
    const ssize_t n = ::recv(nl, buffer.data(), buffer.size(), 0);
    check(n > 0, "recv");
    save(dir, context, seq, buffer.data(), static_cast<std::size_t>(n));
    int left = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buffer.data()); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left))
      done = done || h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR;
  }
  ::close(nl);
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  check(::unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET) (needs root)");
  loopback_up();

  const int notices = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  sockaddr_nl groups{};
  groups.nl_family = AF_NETLINK;
  groups.nl_groups = (1u << (SKNLGRP_INET_TCP_DESTROY - 1)) | (1u << (SKNLGRP_INET6_TCP_DESTROY - 1));
  check(::bind(notices, reinterpret_cast<sockaddr*>(&groups), sizeof groups) == 0, "bind to destroy groups");

  std::uint32_t seq = 1;
  for (int family : {AF_INET, AF_INET6}) {
    std::uint16_t port = 0;
    const int l = listener(family, port);
    auto [open_c, open_s] = connected(family, l, port);  // ESTABLISHED both sides
    ::send(open_c, "unread", 6, 0);                       // rqueue on the server side
    auto [fin_c, fin_s] = connected(family, l, port);    // client closes: FIN_WAIT2 / CLOSE_WAIT
    ::close(fin_c);
    auto [tw_c, tw_s] = connected(family, l, port);      // both close, client first: TIME_WAIT
    ::close(tw_c);
    ::usleep(20000);
    ::close(tw_s);
    auto [q_c, q_s] = connected(family, l, port);        // left in the accept queue: never accepted
    (void)q_s;
    ::usleep(50000);
    dump(dir, family, false, seq++);
    dump(dir, family, true, seq++);
    // A reset close frees both sockets at once: their destroy notices.
    linger abort{1, 0};
    ::setsockopt(open_c, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    ::close(open_c);
    ::close(open_s);
    (void)fin_s;
    (void)q_c;
    // The first notice of this family is enough: they all look alike.
    std::vector<char> buffer(65536);
    pollfd p{notices, POLLIN, 0};
    if (::poll(&p, 1, 500) > 0) {
      const ssize_t n = ::recv(notices, buffer.data(), buffer.size(), 0);
      if (n > 0) save(dir, 4, 0, buffer.data(), static_cast<std::size_t>(n));
    }
    while (::poll(&p, 1, 100) > 0 && ::recv(notices, buffer.data(), buffer.size(), 0) > 0) {
    }
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "capture_sock_diag: %s\n", e.what());
  return 1;
}
