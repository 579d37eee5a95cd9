// Helpers for behaviour tests: an event collector, loopback socket pairs, a bounded loop and
// diagnostics as text.
#pragma once
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "behaviors/events.hpp"
#include "common/diagnostics.hpp"

namespace sockdrill::testing {

class CollectingSink : public behaviors::EventSink {
 public:
  void emit(const behaviors::Event& e) override { events.push_back(e); }
  std::vector<const behaviors::Event*> of(const std::string& kind) const {
    std::vector<const behaviors::Event*> out;
    for (auto& e : events)
      if (e.kind == kind) out.push_back(&e);
    return out;
  }
  std::string kinds() const {  // "sent received closed", for failure messages
    std::string s;
    for (auto& e : events) s += (s.empty() ? "" : " ") + e.kind;
    return s;
  }
  std::vector<behaviors::Event> events;
};

// A connected TCP pair on 127.0.0.1: first non-blocking (for a Connection), second blocking
// (accepted from a listener with SO_REUSEADDR when `reuseaddr`, and SO_RCVBUF `far_rcvbuf` when
// not 0, which it then inherits).
inline std::pair<int, int> loopback_pair(bool reuseaddr = false, int far_rcvbuf = 0) {
  int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  if (reuseaddr) ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (far_rcvbuf) ::setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &far_rcvbuf, sizeof far_rcvbuf);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(lfd, 1) != 0 ||
      ::getsockname(lfd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("loopback listener failed");
  int near = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(near, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    throw std::runtime_error("loopback connect failed");
  int far = ::accept(lfd, nullptr, nullptr);
  ::close(lfd);
  ::fcntl(near, F_SETFL, ::fcntl(near, F_GETFL) | O_NONBLOCK);
  return {near, far};
}

// Runs `io` until `done()` or `limit` passes; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  return done();
}

// A blocking recv with a time limit: bytes read, 0 at EOF, -errno on error, -EAGAIN on time.
inline long recv_within(int fd, char* buf, std::size_t len, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return -EAGAIN;
  long n = ::recv(fd, buf, len, MSG_DONTWAIT);
  return n >= 0 ? n : -errno;
}

// "POINTER: MESSAGE\n" for each diagnostic, for failure messages and exact comparisons.
inline std::string listed(const Diagnostics& d) {
  std::string s;
  for (auto& i : d.items()) s += i.pointer + ": " + i.message + "\n";
  return s;
}

}  // namespace sockdrill::testing
