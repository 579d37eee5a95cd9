// `slow_close`: the source's FIN is relayed delay_ms late.
#include "behaviors/toxics/toxic_params.hpp"

namespace sockdrill::behaviors {
namespace {

struct SlowCloseParams {
  NonNegativeInt delay_ms;
  static constexpr auto fields() {
    return std::tuple{Field{"delay_ms", &SlowCloseParams::delay_ms}};
  }
};

class SlowClose : public Toxic {
 public:
  explicit SlowClose(const SlowCloseParams& p) : delay_(p.delay_ms.value) {}
  void shape(std::vector<Piece>& pieces, ToxicClock::time_point) override {
    for (auto& p : pieces)
      if (p.kind == Piece::fin || p.kind == Piece::close_connection) p.not_before += delay_;
  }

 private:
  std::chrono::milliseconds delay_;
};

}  // namespace

extern const ToxicKind slow_close_toxic = toxic_kind<SlowClose, SlowCloseParams>("slow_close");

}  // namespace sockdrill::behaviors
