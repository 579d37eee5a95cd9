// Test-only: real loopback sockets in a few lines, a namespace with a small TCP table, and waiting
// for a kernel state to show.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "harness/observe/sock_diag.hpp"
#include "tests/observe/netns.hpp"

namespace sockdrill::testing {

[[noreturn]] inline void sys_fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Enters a fresh namespace whose TCP table has `buckets` buckets (a small one holds several
// sockets a bucket, as a case's own table does), made from a fresh namespace of its own: the
// host's tcp_child_ehash_entries is never touched. Raises the soft descriptor limit to the hard
// one, for tests with thousands of sockets.
inline void enter_netns_with_tcp_table(std::uint32_t buckets) {
  enter_fresh_netns();  // first: the setting below is the current namespace's
  set_child_tcp_ehash_entries(buckets);
  enter_fresh_netns();
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0) sys_fail("getrlimit");
  files.rlim_cur = files.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &files) != 0) sys_fail("setrlimit");
}

// Owns a descriptor; closes it when it goes out of scope (or on reset()).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Endpoint {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

inline Endpoint make_endpoint(const std::string& address, std::uint16_t port) {
  Endpoint e;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&e.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&e.storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    e.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    e.length = sizeof(sockaddr_in6);
  } else {
    throw std::invalid_argument("make_endpoint: \"" + address + "\" is not an IP literal");
  }
  return e;
}

inline std::uint16_t local_port(int fd) {
  sockaddr_storage s{};
  socklen_t length = sizeof s;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&s), &length) != 0) sys_fail("getsockname");
  return s.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&s)->sin_port)
                                : ntohs(reinterpret_cast<sockaddr_in6*>(&s)->sin6_port);
}

// A listening socket on address:port (port 0 = any free port).
inline Fd listen_on(const std::string& address, int backlog, std::uint16_t port = 0,
                    bool reuseaddr = false) {
  Endpoint e = make_endpoint(address, port);
  Fd fd(socket(e.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) sys_fail("socket");
  int one = 1;
  if (reuseaddr) setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&e.storage), e.length) != 0)
    sys_fail("bind " + address + ":" + std::to_string(port));
  if (listen(fd.get(), backlog) != 0) sys_fail("listen");
  return fd;
}

// A connected client socket (blocking connect; loopback completes at once).
inline Fd connect_to(const std::string& address, std::uint16_t port, bool nonblocking = false) {
  Endpoint e = make_endpoint(address, port);
  Fd fd(socket(e.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0));
  if (fd.get() < 0) sys_fail("socket");
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&e.storage), e.length) != 0 &&
      !(nonblocking && errno == EINPROGRESS))
    sys_fail("connect " + address + ":" + std::to_string(port));
  return fd;
}

inline Fd accept_one(int listener) {
  Fd fd(accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (fd.get() < 0) sys_fail("accept4");
  return fd;
}

inline void set_linger_zero(int fd) {
  linger l{1, 0};
  if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0) sys_fail("SO_LINGER");
}

inline std::size_t count_if(const std::vector<SocketRecord>& records,
                            const std::function<bool(const SocketRecord&)>& pred) {
  return static_cast<std::size_t>(std::count_if(records.begin(), records.end(), pred));
}

// Dumps until `ready` holds (kernel state changes on loopback take microseconds, but come from
// softirqs), for at most ~5 s, and returns the last dump either way.
inline std::vector<SocketRecord> dump_until(
    SockDiag& diag, std::uint32_t mask,
    const std::function<bool(const std::vector<SocketRecord>&)>& ready) {
  std::vector<SocketRecord> records;
  for (int attempt = 0; attempt < 5000; ++attempt) {
    diag.dump(mask, records);
    if (ready(records)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return records;
}

}  // namespace sockdrill::testing
