// One listen or connect peer in action: its listener or its connections, on one event loop.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "behaviors/connection.hpp"
#include "behaviors/cues.hpp"
#include "behaviors/script.hpp"
#include "peers/in_flight.hpp"
#include "peers/output.hpp"
#include "peers/socket_address.hpp"
#include "protocol/peer_config.hpp"

namespace sockdrill::peer {

namespace asio = boost::asio;

class Peer {
 public:
  Peer(asio::io_context& io, LineWriter& out, protocol::PeerConfig config);
  // Server: socket, bind, `bound`, listen, `listening`, `ready`, then accepts as configured.
  // Client: `ready`; connections begin at t = 0.
  void begin();
  // A server in several processes: once listening, `f` gets the port (to start the others)
  // instead of `ready` being written; `ready` is then the caller's to write.
  void when_listening(std::function<void(int port)> f) { when_listening_ = std::move(f); }
  // The runner's control lines.
  void start(std::int64_t t0_ns);
  void cue(const std::string& name) { cues_.give(name); }

 private:
  using time_point = std::chrono::steady_clock::time_point;
  time_point at_ms(std::int64_t ms) const;  // t0 + ms on the steady (CLOCK_MONOTONIC) clock
  asio::awaitable<void> sleep_until(time_point t);
  void spawn(asio::awaitable<void> work);

  void begin_server();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> launch_clients();
  asio::awaitable<void> connect_one(int index);
  asio::awaitable<void> run_connection(std::unique_ptr<behaviors::Connection> conn);

  asio::io_context& io_;
  LineWriter& out_;
  protocol::PeerConfig config_;
  SocketAddress listen_address_, to_;  // config_.listen and config_.to, for the socket calls
  behaviors::CueBoard cues_;
  behaviors::Gate started_;
  std::int64_t t0_ns_ = 0;
  asio::ip::tcp::acceptor listener_;
  behaviors::SocketSettings listener_settings_;
  int accepted_ = 0;
  std::function<void(int port)> when_listening_;
  // Connects waiting for their answer at once: far more than any case holds in SYN_SENT on
  // purpose, few enough that the event loop answers each long before its connect.timeout_ms.
  InFlight connecting_{1024};
};

}  // namespace sockdrill::peer
