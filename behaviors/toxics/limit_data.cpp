// `limit_data`: relays `bytes` bytes of the stream, then closes the connection.
#include "behaviors/toxics/toxic_params.hpp"

namespace sockdrill::behaviors {
namespace {

struct LimitDataParams {
  NonNegativeInt bytes;
  static constexpr auto fields() { return std::tuple{Field{"bytes", &LimitDataParams::bytes}}; }
};

class LimitData : public Toxic {
 public:
  explicit LimitData(const LimitDataParams& p) : left_(p.bytes.value) {}
  void attach(StreamControl& s) override {
    if (left_ <= 0 && !closed_) {
      closed_ = true;
      s.close_connection();
    }
  }
  void shape(std::vector<Piece>& pieces, ToxicClock::time_point now) override {
    std::vector<Piece> out;
    for (auto& p : pieces) {
      if (closed_) break;  // nothing passes once the limit is reached
      if (p.kind == Piece::data && static_cast<std::int64_t>(p.bytes.size()) >= left_) {
        p.bytes.resize(static_cast<std::size_t>(left_));
        left_ = 0;
        auto at = p.not_before;
        if (!p.bytes.empty()) out.push_back(std::move(p));
        out.push_back({Piece::close_connection, {}, at});
        closed_ = true;
        break;
      }
      if (p.kind == Piece::data) left_ -= static_cast<std::int64_t>(p.bytes.size());
      out.push_back(std::move(p));
    }
    pieces = std::move(out);
  }

 private:
  std::int64_t left_;
  bool closed_ = false;
};

}  // namespace

extern const ToxicKind limit_data_toxic = toxic_kind<LimitData, LimitDataParams>("limit_data");

}  // namespace sockdrill::behaviors
