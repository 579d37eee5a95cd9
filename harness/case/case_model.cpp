// How parts of the case model read in messages.
#include "harness/case/case_model.hpp"

#include "common/endpoint.hpp"

namespace sockdrill {

bool case_uses_ipv6(const CaseSpec& spec) {
  auto v6_target = [](const std::string& to) {
    auto parts = split_endpoint(to);
    return parts && is_ipv6_literal(parts->host);
  };
  for (const PeerSpec& p : spec.peers) {
    if (p.listen && is_ipv6_literal(p.listen->address) && p.listen->address != "::") return true;
    if (p.connect && v6_target(p.connect->to)) return true;
    if (p.kind == PeerKind::proxy && v6_target(p.proxy_to)) return true;
  }
  return false;
}

std::string packet_match_text(const PacketMatch& m) {
  std::string text;
  if (!m.from.empty()) text += " from \"" + m.from + "\"";
  if (!m.to.empty()) text += " to \"" + m.to + "\"";
  if (!m.flags.empty()) {
    std::string flags;
    for (auto& f : m.flags) flags += (flags.empty() ? "" : "|") + f;
    text += " with flags " + flags;
  }
  return text;
}

}  // namespace sockdrill
