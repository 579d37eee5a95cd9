// What server, client and proxy peers share: the listening socket, the accept loop, connect().
#pragma once
#include <sys/socket.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "behaviors/connection.hpp"

#include "peers/output.hpp"
#include "peers/socket_address.hpp"
#include "protocol/peer_config.hpp"

namespace sockdrill::peer {

// An event of `kind` stamped now.
behaviors::Event event_now(std::string kind);

// Whether `err` is the machine's limit rather than the connection's fate (descriptors, kernel
// memory); if so writes a `limit` line naming `what` and the descriptor limit, so the runner
// ends the case as error (limit) instead of blaming the program under test.
bool report_if_limit(LineWriter& out, int err, const std::string& what);

// An `error` event of the peer itself (its listening socket), not of a connection.
void emit_peer_error(LineWriter& out, int err, std::string detail);

// An `accepted` or `connected` event on `conn`, stamped now: its local endpoint and `remote`.
void emit_opened(behaviors::Connection& conn, std::string kind, const sockaddr_storage& remote);

// Runs `work` on `io`. An exception escaping it is a bug of the peer, not of the program under
// test: a `fatal` line naming "`role` `name`" (`name` must outlive the work).
void spawn_or_fatal(boost::asio::io_context& io, LineWriter& out, const char* role,
                    const std::string& name, boost::asio::awaitable<void> work);

// `connect_failed` for connection `index` to `to`, then closes `conn` (when there is one).
void connect_failed(LineWriter& out, int index, const SocketAddress& to, int err,
                    std::string detail, behaviors::Connection* conn);

// socket, before_bind(fd), bind, `bound` (before listen(), so the observer knows the port
// first), listen, `listening`. A failing call is a `bind_failed` event and false; `listener`
// holds the socket either way once it exists.
bool open_listener(boost::asio::ip::tcp::acceptor& listener, const SocketAddress& addr,
                   int backlog, LineWriter& out, const std::function<void(int fd)>& before_bind);

// SO_REUSEPORT on a listening socket, for a peer listening in several processes on one port; a
// failure is an `error` event.
void share_port(int fd, LineWriter& out);

// After open_listener: `ready`, or, for the first of several listening processes that listens,
// when_listening(the port it bound) in its place (the peer is ready once the others listen too).
void listening_or_ready(boost::asio::ip::tcp::acceptor& listener, bool listening, LineWriter& out,
                        const std::function<void(int port)>& when_listening);

// Accepts for the life of the process, one on_accept(fd, remote) per connection (fd is
// non-blocking); accept errors are `error` events.
boost::asio::awaitable<void> accept_forever(
    boost::asio::ip::tcp::acceptor& listener, LineWriter& out,
    std::function<void(int fd, const sockaddr_storage& remote)> on_accept);

struct ConnectOutcome {
  int err = 0;         // 0: connected
  std::string detail;  // the failing call, for a connect_failed event
};

// Binds `conn` (a fresh non-blocking socket) to the peer's own source address for the family of
// `to` (the port left to connect()), connects and waits until `deadline` (ETIMEDOUT past it,
// with `timeout_text` in the detail, unless the handshake completed by then).
boost::asio::awaitable<ConnectOutcome> connect_from(behaviors::Connection& conn,
                                                    const SocketAddress& to,
                                                    const protocol::PeerConfig& config,
                                                    std::chrono::steady_clock::time_point deadline,
                                                    const std::string& timeout_text);

}  // namespace sockdrill::peer
