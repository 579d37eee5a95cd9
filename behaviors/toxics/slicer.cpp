// `slicer`: cuts data into writes of average_size +- size_variation bytes, delay_us apart.
#include <algorithm>
#include <random>

#include "behaviors/toxics/toxic_params.hpp"

namespace sockdrill::behaviors {
namespace {

struct SlicerParams {
  NonNegativeInt average_size, size_variation, delay_us;  // average_size 0: no slicing
  static constexpr auto fields() {
    return std::tuple{Field{"average_size", &SlicerParams::average_size},
                      Field{"size_variation", &SlicerParams::size_variation},
                      Field{"delay_us", &SlicerParams::delay_us}};
  }
};

class Slicer : public Toxic {
 public:
  Slicer(const SlicerParams& p, std::uint64_t seed)
      : average_(p.average_size.value),
        variation_(std::min<std::int64_t>(p.size_variation.value,
                                          std::max<std::int64_t>(average_ - 1, 0))),
        delay_(std::chrono::microseconds(p.delay_us.value)),
        rng_(seed) {}

  void shape(std::vector<Piece>& pieces, ToxicClock::time_point) override {
    if (average_ <= 0) return;  // nothing to cut by
    std::vector<Piece> out;
    for (auto& p : pieces) {
      if (p.kind != Piece::data) {
        if (!out.empty()) p.not_before = std::max(p.not_before, out.back().not_before);
        out.push_back(std::move(p));
        continue;
      }
      auto at_time = p.not_before;
      for (std::size_t at = 0; at < p.bytes.size();) {
        std::int64_t size = average_;
        if (variation_ > 0)
          size += std::uniform_int_distribution<std::int64_t>(-variation_, variation_)(rng_);
        auto n = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(size, 1)),
                                       p.bytes.size() - at);
        out.push_back({Piece::data, p.bytes.substr(at, n), at_time});
        at += n;
        at_time += delay_;
      }
    }
    pieces = std::move(out);
  }

 private:
  std::int64_t average_, variation_;
  std::chrono::microseconds delay_;
  std::mt19937_64 rng_;
};

}  // namespace

extern const ToxicKind slicer_toxic = toxic_kind<Slicer, SlicerParams>("slicer");

}  // namespace sockdrill::behaviors
