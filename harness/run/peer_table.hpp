// The case's peers as the runner tracks them: processes, endpoints, addresses, what they said.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/endpoint.hpp"
#include "harness/case/case_model.hpp"
#include "harness/observe/command_trees.hpp"
#include "harness/run/peer_process.hpp"

namespace sockdrill {

// A client's or proxy's own source addresses (127.77.H.L, fd00:5d::N): packet rules and the
// observer know its connections by them from the first SYN on, before a port is chosen.
struct SourceAddresses {
  std::string v4, v6;
};
// Process `shard` of a client that runs as several (processes_for_connections): 127.77.(H+4k).L
// and fd00:5d::k:N for k >= 1, so every process of every peer has addresses of its own.
SourceAddresses source_addresses_of(int peer_index, int shard = 0);

struct PeerSlot {
  const PeerSpec* spec = nullptr;
  int index = 0;
  std::unique_ptr<PeerProcess> proc;
  bool started = false;
  bool ready = false;
  bool exited = false;
  bool killed_by_timeline = false;
  int exit_code = -1;
  std::int64_t started_ns = 0;
  std::optional<Endpoint> listening;  // a listening peer's own endpoint, once known
  SourceAddresses source;             // clients and proxies
  // A client's or proxy's further processes (past kConnectionsPerProcess descriptors), one
  // address each.
  std::vector<SourceAddresses> more_sources;
  // A server that accepts, or a proxy, sent more connections than one process may hold: its
  // listening processes (one port, SO_REUSEPORT).
  int listeners = 1;
  // A command that other peers connect to (or name in a placeholder): t = 0 waits until its
  // processes listen, and its first listening socket is its address and port.
  bool must_listen = false;
  std::vector<std::string> held_lines;  // toxic changes for a proxy that has not started yet
  std::vector<std::string> argv;        // a command as started, placeholders resolved
  // The watermark: every event this peer stamped before synced_ns has been read.
  std::int64_t synced_ns = 0;
  bool sync_pending = false;
  std::int64_t sync_sent_ns = 0;  // when the pending sync was asked

  bool is_command() const { return spec->kind == PeerKind::command; }
  bool listens_first() const {
    return spec->kind == PeerKind::server || spec->kind == PeerKind::proxy || must_listen;
  }
  // A sockdrill-peer process that may still write lines.
  bool speaks() const { return proc && !is_command() && !proc->eof(); }
};

class PeerTable {
 public:
  explicit PeerTable(const CaseSpec& spec);
  std::vector<PeerSlot>& all() { return slots_; }
  const std::vector<PeerSlot>& all() const { return slots_; }
  PeerSlot& at(std::size_t i) { return slots_.at(i); }
  PeerSlot& named(const std::string& name);
  const PeerSlot& named(const std::string& name) const;
  // The address other peers reach a listening peer at ("0.0.0.0" is reached at 127.0.0.1).
  static std::string reach_address(const Endpoint& listening);
  // Command peers for the observer.
  std::vector<CommandProcess> commands() const;
  std::vector<bool> is_command() const;

 private:
  std::vector<PeerSlot> slots_;
};

}  // namespace sockdrill
