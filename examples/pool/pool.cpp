// The pool's connections and requests, shared by pool_leaky and pool_fixed.
#include "pool.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace pool {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// Closes the descriptor unless release() was called: request() keeps a connection only when it
// worked.
struct Owned {
  int fd;
  ~Owned() {
    if (fd >= 0) ::close(fd);
  }
  int release() { return std::exchange(fd, -1); }
};

}  // namespace

Pool::Pool(std::string address, std::uint16_t port, std::chrono::milliseconds max_idle)
    : address_(std::move(address)), port_(port), max_idle_(max_idle) {}

Pool::~Pool() {
  for (const Idle& c : idle_) ::close(c.fd);
}

int Pool::connect_new() const {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(address_.c_str(), std::to_string(port_).c_str(), &hints, &found); rc != 0)
    throw std::runtime_error(address_ + ": " + ::gai_strerror(rc));
  int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
    int saved = errno;
    if (fd >= 0) ::close(fd);
    ::freeaddrinfo(found);
    errno = saved;
    fail("connect to " + address_ + " port " + std::to_string(port_));
  }
  ::freeaddrinfo(found);
  return fd;
}

std::string Pool::request(const std::string& line) {
  Owned conn{-1};
  if (idle_.empty()) {
    conn.fd = connect_new();
  } else {
    conn.fd = idle_.back().fd;
    idle_.pop_back();
  }

  for (std::size_t sent = 0; sent < line.size();) {
    ssize_t n = ::send(conn.fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0) fail("send");
    sent += static_cast<std::size_t>(n);
  }

  std::string reply;
  for (char c = 0; c != '\n';) {
    ssize_t n = ::read(conn.fd, &c, 1);
    if (n < 0) fail("read");
    if (n == 0) throw std::runtime_error("the server closed the connection before replying");
    if (c != '\n') reply += c;
  }

  idle_.push_back({conn.release(), std::chrono::steady_clock::now()});
  return reply;
}

}  // namespace pool
