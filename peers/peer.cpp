// The server and client behaviour of sockdrill-peer. Every socket call is made here or in a
// step, by hand, so the kernel sees exactly what the case says and nothing more.
#include "peers/peer.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <exception>

#include "common/clock.hpp"

namespace sockdrill::peer {

using behaviors::Connection;
using behaviors::Event;
using tcp = asio::ip::tcp;

namespace {
Event event(std::string kind) {
  Event e;
  e.t_ns = monotonic_ns();
  e.kind = std::move(kind);
  return e;
}
}  // namespace

Peer::Peer(asio::io_context& io, LineWriter& out, PeerConfig config)
    : io_(io),
      out_(out),
      config_(std::move(config)),
      script_(behaviors::build_script(config_.options, config_.steps, config_.on_error)),
      listener_(io) {}

void Peer::spawn(asio::awaitable<void> work) {
  asio::co_spawn(io_, std::move(work), [this](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      out_.fatal(std::string("peer ") + config_.name + ": " + ex.what());
    }
  });
}

Peer::time_point Peer::at_ms(std::int64_t ms) const {
  return time_point(std::chrono::nanoseconds(t0_ns_) + std::chrono::milliseconds(ms));
}

asio::awaitable<void> Peer::sleep_until(time_point t) {
  asio::steady_timer timer(io_, t);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

void Peer::begin() {
  if (config_.t0_ns) start(*config_.t0_ns);
  if (config_.server) {
    begin_server();
  } else {
    out_.ready();
    spawn(launch_clients());
  }
}

void Peer::start(std::int64_t t0_ns) {
  if (started_.is_open()) return;  // t = 0 happens once
  t0_ns_ = t0_ns;
  started_.open();
}

void Peer::begin_server() {
  const auto& addr = config_.listen_address;
  auto failed = [&](const char* call, int err) {
    Event e = event("bind_failed");
    e.err = err;
    e.local = behaviors::endpoint_text(addr.storage);
    e.detail = call;
    out_.emit(e);
    out_.ready();  // set up as far as it goes; the peer idles from here
  };
  int fd = ::socket(addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return failed("socket", errno);
  boost::system::error_code ec;
  listener_.assign(addr.family() == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
  if (ec) throw std::runtime_error("cannot watch the listening socket: " + ec.message());
  if (config_.reuseaddr) {
    int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
      Event e = event("error");
      e.err = errno;
      e.detail = "setsockopt(SO_REUSEADDR)";
      out_.emit(e);
    }
  }
  // Options on the listener too: accepted sockets inherit buffers, keepalive and linger from
  // it, and a receive buffer only shapes the window scale when set before the handshake.
  behaviors::OptionTarget target{fd, listener_settings_};
  for (auto& f : script_.options.apply(target)) {
    Event e = event("error");
    e.err = f.err;
    e.detail = f.call + " on the listening socket";
    out_.emit(e);
  }
  if (::bind(fd, addr.get(), addr.length) != 0) return failed("bind", errno);
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
  out_.bound(behaviors::address_text(local), behaviors::port_of(local));  // before listen()
  if (::listen(fd, config_.backlog) != 0) return failed("listen", errno);
  Event listening = event("listening");
  listening.local = behaviors::endpoint_text(local);
  out_.emit(listening);
  out_.ready();
  spawn(accept_loop());
}

asio::awaitable<void> Peer::accept_loop() {
  switch (config_.accept.kind) {
    case AcceptConfig::never:
      co_return;  // the listener stays open; its queue fills up
    case AcceptConfig::immediately:
      break;
    case AcceptConfig::after:
      co_await started_.wait();
      co_await sleep_until(at_ms(config_.accept.after_ms));
      break;
    case AcceptConfig::on_cue:
      co_await cues_.wait(config_.accept.cue);
      break;
  }
  const int lfd = listener_.native_handle();
  // Runs for the life of the process: each pass accepts one connection or waits.
  for (;;) {
    sockaddr_storage remote{};
    socklen_t len = sizeof remote;
    int fd =
        ::accept4(lfd, reinterpret_cast<sockaddr*>(&remote), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      auto conn = std::make_unique<Connection>(io_.get_executor(), fd, accepted_++, out_, cues_);
      Event e = event("accepted");
      e.local = behaviors::local_endpoint(fd);
      e.remote = behaviors::endpoint_text(remote);
      conn->emit(std::move(e));
      behaviors::apply_options(script_.options, *conn);
      spawn(run_connection(std::move(conn)));
      continue;
    }
    int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      co_await listener_.async_wait(tcp::acceptor::wait_read, asio::as_tuple(asio::use_awaitable));
    } else if (err != EINTR && err != ECONNABORTED) {
      Event e = event("error");
      e.err = err;
      e.detail = "accept";
      out_.emit(e);
      // EMFILE and the like last a while: do not spin on them.
      co_await sleep_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(10));
    }
  }
}

asio::awaitable<void> Peer::run_connection(std::unique_ptr<Connection> conn) {
  co_await behaviors::run_steps(script_, *conn);
}

asio::awaitable<void> Peer::launch_clients() {
  co_await started_.wait();
  for (int i = 0; i < config_.count; ++i) {
    auto at = at_ms(static_cast<std::int64_t>(i) * config_.interval_ms);
    if (at > std::chrono::steady_clock::now()) co_await sleep_until(at);
    spawn(connect_one(i));
  }
}

asio::awaitable<void> Peer::connect_one(int index) {
  const auto& to = config_.to;
  auto failed = [&](Connection* conn, int err, std::string detail) {
    Event e = event("connect_failed");
    e.conn = index;
    e.err = err;
    e.remote = behaviors::endpoint_text(to.storage);
    e.detail = std::move(detail);
    out_.emit(e);
    if (conn) conn->close();
  };
  int fd = ::socket(to.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) co_return failed(nullptr, errno, "socket");
  auto conn = std::make_unique<Connection>(io_.get_executor(), fd, index, out_, cues_);
  behaviors::apply_options(script_.options, *conn);  // before connect(), as the case says

  // Bind explicitly so the port is known, and announced, before the first SYN leaves.
  // The peer's own source address (or the wildcard): its packets carry who sent them.
  auto wildcard =
      make_address(to.family() == AF_INET6 ? config_.source_v6 : config_.source_v4, 0);
  if (!wildcard) co_return failed(conn.get(), EINVAL, "bad source address in the config");
  if (::bind(fd, wildcard->get(), wildcard->length) != 0)
    co_return failed(conn.get(), errno, "bind");
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
  out_.bound(behaviors::address_text(wildcard->storage), behaviors::port_of(local));

  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.timeout_ms);
  int err = 0;
  if (::connect(fd, to.get(), to.length) != 0) {
    err = errno;
    if (err == EINPROGRESS || err == EINTR) {
      if (!co_await conn->wait(tcp::socket::wait_write, deadline)) {
        co_return failed(conn.get(), ETIMEDOUT,
                         "no answer within " + std::to_string(config_.timeout_ms) + " ms");
      }
      socklen_t elen = sizeof err;
      if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) err = errno;
    }
  }
  if (err == ECONNRESET)  // on loopback a reset can beat connect()'s wake-up: still a failure
    co_return failed(conn.get(), err,
                     "connect: reset before connect() returned (the handshake may have completed "
                     "and the server reset it at once)");
  if (err != 0) co_return failed(conn.get(), err, "connect");
  Event e = event("connected");
  e.local = behaviors::local_endpoint(fd);
  e.remote = behaviors::endpoint_text(to.storage);
  conn->emit(std::move(e));
  co_await behaviors::run_steps(script_, *conn);
}

}  // namespace sockdrill::peer
