// How parts of the case model read in messages.
#include "harness/case/case_model.hpp"

namespace sockdrill {

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
