// A validated case file, as the runner, observer and expectation engine use it.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "behaviors/script.hpp"
#include "behaviors/toxics/toxic.hpp"
#include "common/json.hpp"
#include "common/tcp_state.hpp"

namespace sockdrill {

// Where a value came from in its file, for messages: "FILE:LINE:COL" and its JSON pointer.
struct SourceLocation {
  std::string pointer;  // e.g. "/expect/2"
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
};

enum class PeerKind { server, client, command, proxy };

// Each peer is a process of its own (and clients and proxies an address of their own).
inline constexpr std::size_t kMaxPeers = 1000;
// A client peer makes at most this many connections, and at most kConnectionsPerProcess in one
// process: past that it runs as several processes, each with a source address of its own. One
// descriptor per connection under a 20,000-descriptor limit, and connect()'s search for a free
// local port (linear from a hashed offset, over ~28,000 ports) slows down sharply as the ports
// of one source address fill up: 100,000 connections spend 25% of the machine in it at 16,000
// per address, and finish twice as fast at 8,000.
inline constexpr int kMaxConnectionsPerPeer = 100000;
inline constexpr int kConnectionsPerProcess = 8000;
// A server that the case's clients make more connections to listens in one process per
// kConnectionsPerProcess of them (SO_REUSEPORT, one port), at most this many.
inline constexpr int kMaxListeningProcesses = 64;
constexpr int processes_for_connections(int count) {
  return count <= kConnectionsPerProcess ? 1 : (count + kConnectionsPerProcess - 1) / kConnectionsPerProcess;
}

// A port given either as a number or as "{PEER.port}" (another peer's port, a restarted server).
struct PortRef {
  int number = 0;          // used when peer is empty; 0 = pick a free port
  std::string peer;        // non-empty: take this peer's bound port at start
};

struct AcceptMode {
  enum Kind { immediately, never, after_ms, on_cue } kind = immediately;
  std::int64_t delay_ms = 0;  // kind == after_ms
  std::string cue;
};

struct ListenSpec {
  std::string address = "127.0.0.1";
  PortRef port;
  int backlog = 128;
  bool reuseaddr = false;
  AcceptMode accept;
};

struct ConnectSpec {
  std::string to;  // a peer name, or "ADDRESS:PORT" possibly holding placeholders
  int count = 1;
  std::int64_t interval_ms = 0;
  std::int64_t timeout_ms = 1000;
};

struct CommandSpec {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  std::optional<int> exit_code;
};

struct PeerSpec {
  std::string name;
  PeerKind kind = PeerKind::server;
  std::optional<ListenSpec> listen;    // kind == server (and proxy: its own listen)
  std::optional<ConnectSpec> connect;  // kind == client
  std::optional<CommandSpec> command;  // kind == command
  std::optional<std::int64_t> start_ms;
  // Peers that must listen before this one starts: its connect.to or proxy.to, the peer whose
  // port its listen.port takes, and every {PEER.address} / {PEER.port} it names.
  std::set<std::string> needs;
  std::optional<behaviors::Script> script;  // kind == server or client: options, steps, on_error
  std::vector<behaviors::ToxicSpec> toxics;  // kind == proxy: its toxics from the start
  std::string proxy_to;  // kind == proxy: its destination, a peer name or "ADDRESS:PORT"
  SourceLocation where;
};

// MATCH of a fault or a `packets` selector: which packets of the case's namespace.
struct PacketMatch {
  std::string from, to;            // peer names; empty: any
  std::vector<std::string> flags;  // "syn" "ack" "fin" "rst" "psh", each once, all required
  double probability = 1.0;        // faults only: the share of matching packets hit
};
// " from \"client\" to \"server\" with flags syn|ack" ("" when it matches every packet).
std::string packet_match_text(const PacketMatch& m);

struct FaultSpec {
  enum Action { drop, reject, clear } action = drop;
  PacketMatch match;  // drop and reject
};

struct ToxicChange {
  std::string proxy;
  std::optional<behaviors::ToxicSpec> add;  // a toxic to add, or
  std::string remove;                       // the name of a toxic to remove
};

struct TimelineEntry {
  enum class Kind { cue, kill, fault, toxic } kind = Kind::cue;
  std::int64_t at_ms = 0;
  std::string cue_name;        // kind == cue
  std::string peer;            // kind == kill
  int signal = 15;             // kind == kill: SIGTERM or SIGKILL
  FaultSpec fault;             // kind == fault
  ToxicChange toxic;           // kind == toxic
  // kind == fault: the fault's place among the timeline's drop and reject entries (in time
  // order): its probability draws are seeded from it, whatever the timing of the run.
  int fault_number = -1;
  Json written;                // the entry's value as the case wrote it (for reports)
  SourceLocation where;
};

// Quantity of an expectation: "count": N is min == max == N.
struct Quantity {
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
  bool holds(std::int64_t value) const {
    return (!min || value >= *min) && (!max || value <= *max);
  }
};

struct Selector {
  enum Kind { sockets, events, bytes, packets, counter } kind = sockets;
  std::string peer;                      // sockets, events, bytes
  std::vector<TcpState> states;          // sockets: one or more
  // sockets, optional: only those whose unread data (the FIN not counted) / unacknowledged
  // bytes are in range.
  std::optional<Quantity> recv_q, send_q;
  std::string counter_name;              // counter: "TcpExtListenOverflows", nstat's name
  std::string event_kind;                // events
  std::optional<std::string> errno_name; // events: optional
  std::optional<int> code;               // events: optional (exit code)
  bool dir_sent = false;                 // bytes: false = received, true = sent
  PacketMatch packet_match;              // packets (its probability is not used)
};

struct Expectation {
  Selector selector;
  Quantity count;
  std::optional<std::int64_t> by_ms;      // eventually, or
  std::optional<std::int64_t> from_ms;    // always, from ..
  std::optional<std::int64_t> until_ms;   // .. until
  std::string text;                       // the entry as compact JSON, for messages
  SourceLocation where;
};

struct CaseSpec;
// Whether the case needs IPv6: a peer listens on an IPv6 address or connects to one.
bool case_uses_ipv6(const CaseSpec& spec);

struct CaseSpec {
  std::filesystem::path file;
  std::string name;  // the file's stem, or its path under a case folder without ".json"
  std::string about;
  std::map<std::string, std::string> sysctl;  // "net.ipv4.tcp_fin_timeout" -> "2"
  std::int64_t timeout_ms = 10000;
  std::int64_t sample_ms = 5;
  std::optional<std::uint64_t> seed;
  std::vector<PeerSpec> peers;  // in file order
  std::vector<TimelineEntry> timeline;  // sorted by at_ms, stable
  std::vector<Expectation> expect;
  // Names given on the command line (`--define NAME=VALUE`): `{NAME}` in argv, env and
  // connect.to is VALUE; sockdrill_add_case passes a project's built programs this way.
  std::map<std::string, std::string> defines;

  const PeerSpec* find_peer(const std::string& name) const {
    for (auto& p : peers)
      if (p.name == name) return &p;
    return nullptr;
  }
  int peer_index(const std::string& name) const {
    for (std::size_t i = 0; i < peers.size(); ++i)
      if (peers[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

}  // namespace sockdrill
