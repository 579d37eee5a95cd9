// `bandwidth`: at most rate_kbps kilobits (1000 bits) per second; 0 leaves the rate alone.
#include <algorithm>

#include "behaviors/toxics/toxic_params.hpp"

namespace sockdrill::behaviors {
namespace {

struct BandwidthParams {
  NonNegativeInt rate_kbps;  // 0: no cap
  static constexpr auto fields() {
    return std::tuple{Field{"rate_kbps", &BandwidthParams::rate_kbps}};
  }
};

class Bandwidth : public Toxic {
 public:
  // At most 2^31 kbps: 125 bytes/s per kbps stays far inside int64.
  explicit Bandwidth(const BandwidthParams& p)
      : bytes_per_s_(std::int64_t{p.rate_kbps.value} * 1000 / 8) {}

  void shape(std::vector<Piece>& pieces, ToxicClock::time_point) override {
    if (bytes_per_s_ <= 0) return;
    // Slices of 20 ms worth, each not before the previous one has had its time on the wire.
    const std::size_t slice =
        static_cast<std::size_t>(std::max<std::int64_t>(bytes_per_s_ / 50, 1));
    std::vector<Piece> out;
    for (auto& p : pieces) {
      if (p.kind != Piece::data) {
        p.not_before = std::max(p.not_before, next_free_);
        out.push_back(std::move(p));
        continue;
      }
      for (std::size_t at = 0; at < p.bytes.size(); at += slice) {
        Piece part{Piece::data, p.bytes.substr(at, slice), std::max(p.not_before, next_free_)};
        next_free_ = part.not_before + std::chrono::nanoseconds(static_cast<std::int64_t>(
                                           part.bytes.size() * 1'000'000'000ULL / bytes_per_s_));
        out.push_back(std::move(part));
      }
    }
    pieces = std::move(out);
  }

 private:
  std::int64_t bytes_per_s_;
  ToxicClock::time_point next_free_{};
};

}  // namespace

extern const ToxicKind bandwidth_toxic = toxic_kind<Bandwidth, BandwidthParams>("bandwidth");

}  // namespace sockdrill::behaviors
