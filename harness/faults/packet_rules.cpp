// MATCH -> nftables match expressions: one per address family, TCP only, flags as "all of".
#include "harness/faults/packet_rules.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <stdexcept>

namespace sockdrill {
namespace {

enum class Family { v4, v6, any };

// One way a peer can appear in a packet: its family and the expression for one direction.
struct Side {
  Family family;
  std::string expr;
};

// Addresses go verbatim into an nft command, so anything that is not a plain literal is refused
// (this also keeps a stray ';' or newline from smuggling in another command).
std::string checked_address(const std::string& text, int af, const std::string& peer) {
  unsigned char buffer[sizeof(in6_addr)];
  if (inet_pton(af, text.c_str(), buffer) != 1)
    throw std::invalid_argument("peer \"" + peer + "\": not an IPv" + (af == AF_INET ? "4" : "6") +
                                " address: \"" + text + "\"");
  return text;
}

// One address, or "{ A, B, ... }" (an anonymous set) for a client or proxy running as several
// processes.
std::string address_set(const std::string& first, const std::vector<std::string>& more, int af,
                        const std::string& peer) {
  if (more.empty()) return checked_address(first, af, peer);
  std::string set = "{ " + checked_address(first, af, peer);
  for (const std::string& a : more) set += ", " + checked_address(a, af, peer);
  return set + " }";
}

// The ways packets leaving (dir "s") or reaching (dir "d") a peer can be recognized.
std::vector<Side> sides(const std::string& peer, const std::map<std::string, PeerIdentity>& peers,
                        const char* dir) {
  auto it = peers.find(peer);
  if (it == peers.end()) throw std::invalid_argument("MATCH names unknown peer \"" + peer + "\"");
  const PeerIdentity& id = it->second;
  const std::string sd = dir;  // "s" or "d"
  std::vector<Side> out;
  if (id.port < 0) {
    // A client: known by its own source address only, since its port changes per connection
    // and is not known before its first SYN.
    if (!id.v4.empty())
      out.push_back({Family::v4, "ip " + sd + "addr " + address_set(id.v4, id.more_v4, AF_INET, peer)});
    if (!id.v6.empty())
      out.push_back({Family::v6, "ip6 " + sd + "addr " + address_set(id.v6, id.more_v6, AF_INET6, peer)});
    if (out.empty()) throw std::invalid_argument("peer \"" + peer + "\" has no identity yet (no address, no port)");
    return out;
  }
  if (id.port > 65535) throw std::invalid_argument("peer \"" + peer + "\": bad port " + std::to_string(id.port));
  // A server: its listen address (if not a wildcard) and port.
  const std::string port = "tcp " + sd + "port " + std::to_string(id.port);
  if (!id.v4.empty())
    out.push_back({Family::v4, "ip " + sd + "addr " + checked_address(id.v4, AF_INET, peer) + " " + port});
  else if (!id.v6.empty())
    out.push_back({Family::v6, "ip6 " + sd + "addr " + checked_address(id.v6, AF_INET6, peer) + " " + port});
  else
    // Wildcard listener: a "::" socket also takes IPv4, so the port alone, in both families.
    out.push_back({Family::any, port});
  if (!id.source_v4.empty())
    out.push_back({Family::v4, "ip " + sd + "addr " + address_set(id.source_v4, id.more_v4, AF_INET, peer)});
  if (!id.source_v6.empty())
    out.push_back({Family::v6, "ip6 " + sd + "addr " + address_set(id.source_v6, id.more_v6, AF_INET6, peer)});
  return out;
}

// "tcp flags & (fin|ack) == fin|ack": ALL listed flags set. nft's bare "tcp flags fin,ack"
// would mean ANY of them, which is not what the case format says.
std::string flags_expression(const std::vector<std::string>& flags) {
  static const char* const known[] = {"fin", "syn", "rst", "psh", "ack"};
  std::vector<std::string> names;
  for (const std::string& name : flags) {
    if (std::find(std::begin(known), std::end(known), name) == std::end(known))
      throw std::invalid_argument("MATCH names unknown TCP flag \"" + name + "\"");
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (names.empty()) return "";
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : "|") + name;
  if (names.size() == 1) return "tcp flags & " + joined + " == " + joined;
  return "tcp flags & (" + joined + ") == " + joined;
}

}  // namespace

std::vector<std::string> match_expressions(const PacketMatch& match,
                                           const std::map<std::string, PeerIdentity>& peers) {
  const std::string& from = match.from;
  const std::string& to = match.to;
  // A missing side matches anything: one family-less placeholder.
  const std::vector<Side> any{{Family::any, ""}};
  const std::vector<Side> froms = from.empty() ? any : sides(from, peers, "s");
  const std::vector<Side> tos = to.empty() ? any : sides(to, peers, "d");
  const std::string flags = flags_expression(match.flags);

  std::vector<std::string> out;
  for (const Side& f : froms) {
    for (const Side& t : tos) {
      // An IPv4 address and an IPv6 address never meet in one packet.
      if (f.family != Family::any && t.family != Family::any && f.family != t.family) continue;
      std::string expr = "meta l4proto tcp";
      for (const std::string* part : {&f.expr, &t.expr, &flags})
        if (!part->empty()) expr += " " + *part;
      if (std::find(out.begin(), out.end(), expr) == out.end()) out.push_back(expr);
    }
  }
  return out;
}

}  // namespace sockdrill
