// `latency`: every chunk waits latency_ms, give or take a seeded jitter_ms, before it is written.
#include <algorithm>
#include <random>

#include "behaviors/toxics/toxic_params.hpp"

namespace sockdrill::behaviors {
namespace {

struct LatencyParams {
  NonNegativeInt latency_ms, jitter_ms;
  static constexpr auto fields() {
    return std::tuple{Field{"latency_ms", &LatencyParams::latency_ms},
                      Field{"jitter_ms", &LatencyParams::jitter_ms}};
  }
};

class Latency : public Toxic {
 public:
  Latency(const LatencyParams& p, std::uint64_t seed)
      : latency_ms_(p.latency_ms.value), jitter_ms_(p.jitter_ms.value), rng_(seed) {}

  void shape(std::vector<Piece>& pieces, ToxicClock::time_point) override {
    for (auto& p : pieces) {
      if (p.kind != Piece::data) continue;  // a FIN follows its data, in order, no later
      std::int64_t delay = latency_ms_;
      if (jitter_ms_ > 0)
        delay += std::uniform_int_distribution<std::int64_t>(-jitter_ms_, jitter_ms_)(rng_);
      p.not_before += std::chrono::milliseconds(std::max<std::int64_t>(delay, 0));
    }
  }

 private:
  std::int64_t latency_ms_, jitter_ms_;
  std::mt19937_64 rng_;
};

}  // namespace

extern const ToxicKind latency_toxic = toxic_kind<Latency, LatencyParams>("latency");

}  // namespace sockdrill::behaviors
