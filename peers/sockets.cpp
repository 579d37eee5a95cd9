// Listening, accepting and connecting as peers do it: every socket call by hand.
#include "peers/sockets.hpp"

#include <netinet/in.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <exception>

#include "common/clock.hpp"

namespace sockdrill::peer {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using behaviors::Event;

namespace {
// Whether the socket's handshake completed (it has a peer address).
bool connected(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  return ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0;
}
}  // namespace

Event event_now(std::string kind) {
  Event e;
  e.t_ns = monotonic_ns();
  e.kind = std::move(kind);
  return e;
}

bool report_if_limit(LineWriter& out, int err, const std::string& what) {
  if (err != EMFILE && err != ENFILE && err != ENOMEM && err != ENOBUFS) return false;
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  out.limit(what + ": " + std::strerror(err) + " (this process may hold " +
            std::to_string(lim.rlim_cur) + " descriptors; a peer holds one per connection)");
  return true;
}

void emit_peer_error(LineWriter& out, int err, std::string detail) {
  Event e = event_now("error");
  e.err = err;
  e.detail = std::move(detail);
  out.emit(e);
}

void emit_opened(behaviors::Connection& conn, std::string kind, const sockaddr_storage& remote) {
  Event e = event_now(std::move(kind));
  e.local = behaviors::local_endpoint(conn.fd());
  e.remote = behaviors::endpoint_text(remote);
  conn.emit(std::move(e));
}

void spawn_or_fatal(asio::io_context& io, LineWriter& out, const char* role, const std::string& name,
                    asio::awaitable<void> work) {
  asio::co_spawn(io, std::move(work), [&out, role, &name](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      out.fatal(std::string(role) + " " + name + ": " + ex.what());
    }
  });
}

void connect_failed(LineWriter& out, int index, const SocketAddress& to, int err,
                    std::string detail, behaviors::Connection* conn) {
  Event e = event_now("connect_failed");
  e.conn = index;
  e.err = err;
  e.remote = behaviors::endpoint_text(to.storage);
  e.detail = std::move(detail);
  out.emit(e);
  if (conn) conn->close();
}

bool open_listener(tcp::acceptor& listener, const SocketAddress& addr, int backlog, LineWriter& out,
                   const std::function<void(int fd)>& before_bind) {
  auto failed = [&](const char* call, int err) {
    Event e = event_now("bind_failed");
    e.err = err;
    e.local = behaviors::endpoint_text(addr.storage);
    e.detail = call;
    out.emit(e);
    return false;
  };
  int fd = ::socket(addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return failed("socket", errno);
  boost::system::error_code ec;
  listener.assign(addr.family() == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
  if (ec) throw std::runtime_error("cannot watch the listening socket: " + ec.message());
  if (before_bind) before_bind(fd);
  if (::bind(fd, addr.get(), addr.length) != 0) return failed("bind", errno);
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
  out.bound(behaviors::address_text(local), behaviors::port_of(local));  // before listen()
  if (::listen(fd, backlog) != 0) return failed("listen", errno);
  Event listening = event_now("listening");
  listening.local = behaviors::endpoint_text(local);
  out.emit(listening);
  return true;
}

void share_port(int fd, LineWriter& out) {
  int one = 1;
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
    emit_peer_error(out, errno, "setsockopt(SO_REUSEPORT)");
}

void listening_or_ready(tcp::acceptor& listener, bool listening, LineWriter& out,
                        const std::function<void(int port)>& when_listening) {
  if (!listening || !when_listening) return out.ready();  // after a failure: set up as far as it goes
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  ::getsockname(listener.native_handle(), reinterpret_cast<sockaddr*>(&local), &len);
  when_listening(behaviors::port_of(local));
}

asio::awaitable<void> accept_forever(
    tcp::acceptor& listener, LineWriter& out,
    std::function<void(int fd, const sockaddr_storage& remote)> on_accept) {
  const int lfd = listener.native_handle();
  for (;;) {  // each pass accepts one connection or waits
    sockaddr_storage remote{};
    socklen_t len = sizeof remote;
    int fd =
        ::accept4(lfd, reinterpret_cast<sockaddr*>(&remote), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      on_accept(fd, remote);
      continue;
    }
    int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      co_await listener.async_wait(tcp::acceptor::wait_read, asio::as_tuple(asio::use_awaitable));
    } else if (err != EINTR && err != ECONNABORTED) {
      if (!report_if_limit(out, err, "accept")) emit_peer_error(out, err, "accept");
      // EMFILE and the like last a while: do not spin on them.
      asio::steady_timer pause(listener.get_executor(), std::chrono::milliseconds(10));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
}

asio::awaitable<ConnectOutcome> connect_from(behaviors::Connection& conn, const SocketAddress& to,
                                             const protocol::PeerConfig& config,
                                             std::chrono::steady_clock::time_point deadline,
                                             const std::string& timeout_text) {
  const int fd = conn.fd();
  // The peer's own source address: its packets and sockets carry who made them (the runner
  // claims the address, so no per-connection announcement is needed). The port is left to
  // connect(), which picks one free for this destination at once; bind() would search the
  // whole range for a port free for every destination, slower with each connection held.
  auto source = make_address(to.family() == AF_INET6 ? config.source_v6 : config.source_v4, 0);
  if (!source) co_return ConnectOutcome{EINVAL, "bad source address in the config"};
  int one = 1;
  if (::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) != 0)
    co_return ConnectOutcome{errno, "setsockopt(IP_BIND_ADDRESS_NO_PORT)"};
  if (::bind(fd, source->get(), source->length) != 0) co_return ConnectOutcome{errno, "bind"};
  int err = 0;
  if (::connect(fd, to.get(), to.length) != 0) {
    err = errno;
    if (err == EINPROGRESS || err == EINTR) {
      const bool ready = co_await conn.wait(tcp::socket::wait_write, deadline);
      socklen_t elen = sizeof err;
      if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) err = errno;
      // Past the deadline the kernel still has the last word: a handshake that completed while
      // this loop was busy elsewhere is a connection, not a timeout.
      if (!ready && err == 0 && !connected(fd)) co_return ConnectOutcome{ETIMEDOUT, timeout_text};
    }
  }
  if (err == ECONNRESET)  // on loopback a reset can beat connect()'s wake-up: still a failure
    co_return ConnectOutcome{err,
                             "connect: reset before connect() returned (the handshake may have "
                             "completed and the server reset it at once)"};
  if (err != 0) co_return ConnectOutcome{err, "connect"};
  co_return ConnectOutcome{};
}

}  // namespace sockdrill::peer
