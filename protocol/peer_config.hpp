// A sockdrill-peer's configuration: the first line the runner sends it, typed on both sides.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "behaviors/script.hpp"
#include "behaviors/toxics/toxic.hpp"
#include "common/diagnostics.hpp"
#include "common/endpoint.hpp"
#include "common/json.hpp"

namespace sockdrill::protocol {

struct AcceptConfig {
  enum Kind { immediately, never, after, on_cue } kind = immediately;
  std::int64_t after_ms = 0;  // kind == after: from t = 0
  std::string cue;            // kind == on_cue
};

struct SourcePair {
  std::string v4 = "0.0.0.0", v6 = "::";
};

// Every reference to another peer is resolved (endpoints are IP literals and numbers).
struct PeerConfig {
  enum class Role { server, client, proxy } role = Role::server;
  std::string name;
  std::uint64_t seed = 0;             // the case's seed: toxicity draws and jitter come from it
  std::optional<std::int64_t> t0_ns;  // t = 0 already passed (a peer with start_ms)
  // A client's or proxy's own source address per family: packet rules and the observer know
  // its connections by it from the first SYN on.
  std::string source_v4 = "0.0.0.0";
  std::string source_v6 = "::";
  // server and proxy
  Endpoint listen{"127.0.0.1", 0};
  int backlog = 128;
  bool reuseaddr = false;
  AcceptConfig accept;  // server
  // A server or proxy the case's clients make more connections to than one process holds: it
  // listens in this many processes, on one port with SO_REUSEPORT (peers/shards.hpp).
  int listeners = 1;
  // client and proxy
  Endpoint to;
  int count = 1;  // client
  // A client past one process's connections: the peer starts one more sockdrill-peer per entry,
  // connecting from that entry's addresses, and relays their lines. A proxy of several listeners:
  // process k (from 1) connects to its destination from entry k - 1.
  std::vector<SourcePair> more_sources;
  // One of several processes of a peer: a client's makes connections shard, shard + shards, ...
  // of count; a server's or a proxy's numbers its accepted connections so.
  int shard = 0, shards = 1;
  std::int64_t interval_ms = 0;
  std::int64_t timeout_ms = 1000;
  behaviors::Script script;                  // server and client
  std::vector<behaviors::ToxicSpec> toxics;  // proxy
};

// {"type":"config","role":...,"name":...} with only the keys of its role.
Json to_json(const PeerConfig& config);
// Reads what to_json wrote, trusting nothing: every problem is a diagnostic (pointers into the
// line), every number is range-checked into its field; nullopt when any is found.
std::optional<PeerConfig> peer_config_from_json(const Json& line, Diagnostics& diag);

}  // namespace sockdrill::protocol
