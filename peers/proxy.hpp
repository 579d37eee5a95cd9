// A proxy peer: accepts on its listen address and relays each connection to `to`, through the
// toxics in force; half-closes and resets are relayed as such.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "behaviors/cues.hpp"
#include "behaviors/toxics/toxic.hpp"
#include "peers/output.hpp"
#include "peers/socket_address.hpp"
#include "protocol/peer_config.hpp"

namespace sockdrill::peer {

namespace asio = boost::asio;
class Relay;

class Proxy {
 public:
  Proxy(asio::io_context& io, LineWriter& out, protocol::PeerConfig config);
  ~Proxy();
  // socket, bind, `bound`, listen, `listening`, `ready`; accepts and relays from then on (a relay
  // has nothing to wait for: it serves whoever connects).
  void begin();
  // One of several listening processes, the first: instead of `ready`, `f` gets the port it bound
  // (the others bind it too), once it listens.
  void when_listening(std::function<void(int port)> f) { when_listening_ = std::move(f); }
  // Timeline `toxic` entries: new connections and open ones alike.
  void add_toxic(const behaviors::ToxicSpec& spec);
  void remove_toxic(const std::string& name);

 private:
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> relay(std::shared_ptr<Relay> r);
  void spawn(asio::awaitable<void> work);

  asio::io_context& io_;
  LineWriter& out_;
  protocol::PeerConfig config_;
  SocketAddress listen_address_, to_;  // config_.listen and config_.to, for the socket calls
  behaviors::CueBoard cues_;  // unused by a proxy; connections need one
  asio::ip::tcp::acceptor listener_;
  std::vector<behaviors::ToxicSpec> toxics_;  // in force now, in the order they were given
  std::map<int, std::weak_ptr<Relay>> open_;  // relays by connection index
  std::vector<char> read_buffer_;             // one for all relays: reads copy out at once
  int accepted_ = 0;
  int relays_started_ = 0;
  std::function<void(int port)> when_listening_;
};

}  // namespace sockdrill::peer
