// The table of proxy toxics, and the seeded draws of toxicity and jitter: adding a toxic means
// its file, one line here, its test and a docs row.
#include "behaviors/toxics/toxic.hpp"

namespace sockdrill::behaviors {

extern const ToxicKind latency_toxic;
extern const ToxicKind bandwidth_toxic;
extern const ToxicKind slicer_toxic;
extern const ToxicKind slow_close_toxic;
extern const ToxicKind timeout_toxic;
extern const ToxicKind reset_peer_toxic;
extern const ToxicKind limit_data_toxic;
extern const ToxicKind never_close_toxic;

std::span<const ToxicKind> toxic_table() {
  // Copies, built on first use, so the order of static initialisation does not matter.
  static const ToxicKind table[] = {latency_toxic,    bandwidth_toxic,  slicer_toxic,
                                    slow_close_toxic, timeout_toxic,    reset_peer_toxic,
                                    limit_data_toxic, never_close_toxic};
  return table;
}

const ToxicKind* find_toxic(std::string_view type) {
  for (const auto& kind : toxic_table())
    if (kind.type == type) return &kind;
  return nullptr;
}

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

std::uint64_t toxic_seed(std::uint64_t case_seed, const std::string& toxic_name, int connection) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a of the name: the draw follows the name
  for (unsigned char c : toxic_name) h = (h ^ c) * 0x100000001b3ULL;
  return splitmix64(splitmix64(case_seed ^ h) + static_cast<std::uint64_t>(connection));
}

bool toxic_applies(const ToxicSpec& spec, std::uint64_t case_seed, int connection) {
  if (spec.toxicity >= 1.0) return true;
  if (spec.toxicity <= 0.0) return false;
  // Top 53 bits as a uniform double in [0, 1); a separate stream from the toxic's own seed.
  double u =
      static_cast<double>(splitmix64(toxic_seed(case_seed, spec.name, connection) ^ 0x5d) >> 11) *
      0x1.0p-53;
  return u < spec.toxicity;
}

}  // namespace sockdrill::behaviors
