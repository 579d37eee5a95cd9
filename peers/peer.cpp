// The server and client behaviour of sockdrill-peer. Every socket call is made here or in a
// step, by hand, so the kernel sees exactly what the case says and nothing more.
#include "peers/peer.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>

#include "common/clock.hpp"
#include "peers/sockets.hpp"

namespace sockdrill::peer {

using behaviors::Connection;
using tcp = asio::ip::tcp;


Peer::Peer(asio::io_context& io, LineWriter& out, protocol::PeerConfig config)
    : io_(io),
      out_(out),
      config_(std::move(config)),
      listen_address_(make_address(config_.listen).value_or(SocketAddress{})),
      to_(make_address(config_.to).value_or(SocketAddress{})),
      listener_(io) {}

void Peer::spawn(asio::awaitable<void> work) {
  spawn_or_fatal(io_, out_, "peer", config_.name, std::move(work));
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
  if (config_.role == protocol::PeerConfig::Role::server) {
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
  bool listening = open_listener(listener_, listen_address_, config_.backlog, out_, [&](int fd) {
    int one = 1;
    if (config_.reuseaddr && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
      emit_peer_error(out_, errno, "setsockopt(SO_REUSEADDR)");
    // One port for every process of the peer; the kernel spreads connections over them.
    if (config_.shards > 1) share_port(fd, out_);
    // Options on the listener too: accepted sockets inherit buffers, keepalive and linger from
    // it, and a receive buffer only shapes the window scale when set before the handshake.
    behaviors::OptionTarget target{fd, listener_settings_};
    for (auto& f : config_.script.options.apply(target))
      emit_peer_error(out_, f.err, f.call + " on the listening socket");
  });
  listening_or_ready(listener_, listening, out_, when_listening_);
  if (listening) spawn(accept_loop());
}

asio::awaitable<void> Peer::accept_loop() {
  switch (config_.accept.kind) {
    case protocol::AcceptConfig::never:
      co_return;  // the listener stays open; its queue fills up
    case protocol::AcceptConfig::immediately:
      break;
    case protocol::AcceptConfig::after:
      co_await started_.wait();
      co_await sleep_until(at_ms(config_.accept.after_ms));
      break;
    case protocol::AcceptConfig::on_cue:
      co_await cues_.wait(config_.accept.cue);
      break;
  }
  co_await accept_forever(listener_, out_, [this](int fd, const sockaddr_storage& remote) {
    // One of several listening processes numbers its connections shard, shard + shards, ...
    const int index = config_.shard + config_.shards * accepted_++;
    auto conn = std::make_unique<Connection>(io_.get_executor(), fd, index, out_, cues_);
    emit_opened(*conn, "accepted", remote);
    behaviors::apply_options(config_.script.options, *conn);
    spawn(run_connection(std::move(conn)));
  });
}

asio::awaitable<void> Peer::run_connection(std::unique_ptr<Connection> conn) {
  co_await behaviors::run_steps(config_.script, *conn);
}

asio::awaitable<void> Peer::launch_clients() {
  co_await started_.wait();
  // A peer with start_ms starts after t = 0: its connections are interval_ms apart from then.
  const auto late_by = config_.t0_ns ? std::chrono::steady_clock::now() - at_ms(0)
                                     : std::chrono::steady_clock::duration::zero();
  // One of several processes of this peer (peers/shards.hpp) makes every shards-th connection.
  for (int i = config_.shard; i < config_.count; i += config_.shards) {
    auto at = at_ms(static_cast<std::int64_t>(i) * config_.interval_ms) + late_by;
    if (at > std::chrono::steady_clock::now()) co_await sleep_until(at);
    co_await connecting_.acquire();  // its place is given back once connect() has an answer
    spawn(connect_one(i));
  }
}

asio::awaitable<void> Peer::connect_one(int index) {
  const auto& to = to_;
  auto failed = [&](Connection* conn, int err, std::string detail) {
    connecting_.release();
    connect_failed(out_, index, to, err, std::move(detail), conn);
  };
  int fd = ::socket(to.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 && report_if_limit(out_, errno, "socket for connection " + std::to_string(index))) {
    connecting_.release();
    co_return;
  }
  if (fd < 0) co_return failed(nullptr, errno, "socket");
  auto conn = std::make_unique<Connection>(io_.get_executor(), fd, index, out_, cues_);
  behaviors::apply_options(config_.script.options, *conn);  // before connect(), as the case says

  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.timeout_ms);
  auto outcome = co_await connect_from(*conn, to, config_, deadline,
                                       "no answer within " + std::to_string(config_.timeout_ms) + " ms");
  if (outcome.err != 0) co_return failed(conn.get(), outcome.err, std::move(outcome.detail));
  connecting_.release();
  emit_opened(*conn, "connected", to.storage);
  co_await behaviors::run_steps(config_.script, *conn);
}

}  // namespace sockdrill::peer
