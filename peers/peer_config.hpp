// The config line of sockdrill-peer, checked and turned into what the peer needs to act.
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "behaviors/script.hpp"
#include "behaviors/toxics/toxic.hpp"
#include "common/diagnostics.hpp"
#include "common/json.hpp"

namespace sockdrill::peer {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// An IPv4 or IPv6 literal and a port; nullopt when `address` is not an IP literal.
std::optional<SocketAddress> make_address(const std::string& address, int port);
// "ADDRESS:PORT", with "[v6]:PORT" or a bare "v6:PORT" (the last colon splits).
std::optional<SocketAddress> parse_endpoint(const std::string& text);

struct AcceptConfig {
  enum Kind { immediately, never, after, on_cue } kind = immediately;
  std::int64_t after_ms = 0;  // kind == after: from t = 0
  std::string cue;            // kind == on_cue
};

struct PeerConfig {
  std::string name;
  bool server = false;
  bool proxy = false;  // "proxy": listen_address, backlog, `to` and the toxics
  std::vector<behaviors::ToxicSpec> toxics;
  std::uint64_t seed = 0;  // the case's seed: toxicity draws and jitter come from it
  // server ("listen")
  SocketAddress listen_address;
  int backlog = 128;
  bool reuseaddr = false;
  AcceptConfig accept;
  // client ("connect"), proxy ("to")
  SocketAddress to;
  int count = 1;
  std::int64_t interval_ms = 0;
  std::int64_t timeout_ms = 1000;
  // The peer's own source address per family (runner's "source": {"v4", "v6"}), so packet
  // rules can tell peers apart from the first SYN on; wildcard when not given.
  std::string source_v4 = "0.0.0.0";
  std::string source_v6 = "::";
  // both
  behaviors::Script script;
  std::optional<std::int64_t> t0_ns;  // t = 0 already passed (a peer with start_ms)
};

// Checks the whole config line; every problem goes to `diag` (pointers into the line).
std::optional<PeerConfig> parse_config(const Json& line, Diagnostics& diag);

}  // namespace sockdrill::peer
