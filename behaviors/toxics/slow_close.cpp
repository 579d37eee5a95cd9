// `slow_close`: the source's FIN is relayed delay_ms late.
#include "behaviors/toxics/toxic.hpp"

namespace sockdrill::behaviors {
namespace {

class SlowClose : public Toxic {
 public:
  explicit SlowClose(const ToxicSpec& s) : delay_(s.attr("delay_ms")) {}
  void shape(std::vector<Piece>& pieces, ToxicClock::time_point) override {
    for (auto& p : pieces)
      if (p.kind == Piece::fin || p.kind == Piece::close_connection) p.not_before += delay_;
  }

 private:
  std::chrono::milliseconds delay_;
};

}  // namespace

extern const ToxicKind slow_close_toxic{"slow_close", {"delay_ms"}, make_toxic<SlowClose>};

}  // namespace sockdrill::behaviors
