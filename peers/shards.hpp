// A peer past one process's connections (a client's, or a server's or proxy's listeners): its other
// processes, and their lines relayed.
#pragma once
#include <sys/types.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "peers/output.hpp"
#include "protocol/peer_config.hpp"

namespace sockdrill::peer {

namespace asio = boost::asio;

// Process 0 is this one; processes 1..N-1 are sockdrill-peer children (this very program) that
// each make every N-th connection from their own source address (a client), or listen on the
// same port with SO_REUSEPORT (a server). Their stdout lines (events,
// limits, fatal errors) are copied to ours whole, in the order each child wrote them; `ready`
// and `synced` are answered for all of them at once. A child that ends on its own is a fatal
// error of the peer; the children die with this process (parent-death signal, end of stdin).
class Shards {
 public:
  Shards(asio::io_context& io, LineWriter& out) : io_(io), out_(out) {}
  // Starts a child per more_sources entry of `config` and sends each its configuration; this
  // process keeps connections 0, N, 2N, ... (config is rewritten so).
  void start(protocol::PeerConfig& config);
  // A server or proxy: starts `processes` - 1 children listening on config.listen (the port this
  // process bound, with SO_REUSEPORT), child k numbering its connections k, k + processes, ...
  // and, for a proxy, connecting from config.more_sources[k - 1].
  void start_listeners(protocol::PeerConfig config, int processes);
  // Runs `f` once every child is ready (at once when there are none).
  void when_ready(std::function<void()> f);
  // A runner line for every child (t = 0, cues).
  void forward(const std::string& line);
  // Sync `id`: answered once every child answered, stamped with the earliest of their stamps
  // and ours (taken now: every event this process stamped before it is already written).
  void sync(std::uint64_t id);

 private:
  struct Child {
    pid_t pid = -1;
    int index = 0;
    int to_child = -1;
    std::unique_ptr<asio::posix::stream_descriptor> from_child;
  };
  struct PendingSync {
    std::size_t answers = 0;
    std::int64_t earliest_ns = 0;
  };
  void spawn_child(int index, const protocol::PeerConfig& config);
  asio::awaitable<void> relay(Child& child);
  void on_line(Child& child, const std::string& line);
  void send(Child& child, const std::string& line);

  asio::io_context& io_;
  LineWriter& out_;
  std::vector<std::unique_ptr<Child>> children_;
  std::size_t ready_ = 0;
  std::function<void()> all_ready_;
  std::map<std::uint64_t, PendingSync> syncs_;
};

}  // namespace sockdrill::peer
