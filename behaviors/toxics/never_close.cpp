// `never_close`: the source's FIN is not relayed and the relay never closes the connection, so
// the relay's socket that got the FIN stays in CLOSE_WAIT.
#include "behaviors/toxics/toxic_params.hpp"

namespace sockdrill::behaviors {
namespace {

class NeverClose : public Toxic {
 public:
  void shape(std::vector<Piece>& pieces, ToxicClock::time_point) override {
    for (auto& p : pieces)
      if (p.kind == Piece::fin) p.kind = Piece::hold;
  }
};

}  // namespace

extern const ToxicKind never_close_toxic = toxic_kind<NeverClose>("never_close");

}  // namespace sockdrill::behaviors
