// Translates a case's MATCH object ({"from","to","flags"}) into nftables match expressions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/case/case_model.hpp"

namespace sockdrill {

// How a peer shows on the wire, as the runner knows it.
// Client: its own source addresses in v4/v6 (either may be empty), port -1.
// Server: its listen address in v4 or v6 (both empty = wildcard listener) and its port.
// A proxy is both: its listen address and port, and in source_v4/v6 the source addresses of the
// connections it opens to its destination.
struct PeerIdentity {
  std::string v4, v6;
  int port = -1;
  std::string source_v4, source_v6;  // only with port >= 0: outgoing connections besides
  // A client in several processes: their addresses; a proxy's: its other source addresses.
  std::vector<std::string> more_v4, more_v6;
};

// The nft match expressions for one MATCH (probability is not part of it: it is handled by the
// caller), one string per address family the peers involve, each starting with `meta l4proto tcp`.
// An empty result means no packet can match (e.g. an IPv4-only peer to an IPv6-only peer).
// Throws std::invalid_argument naming the peer when it is unknown or has no identity yet, or
// naming the bad value for an unknown flag or a malformed address.
std::vector<std::string> match_expressions(const PacketMatch& match,
                                           const std::map<std::string, PeerIdentity>& peers);

}  // namespace sockdrill
