// `timeout`: stops relaying the stream (its source is no longer read, nothing queued is
// delivered); after timeout_ms the connection is closed, never when 0. Removing the toxic lets
// data flow again.
#include "behaviors/toxics/toxic_params.hpp"

namespace sockdrill::behaviors {
namespace {

struct TimeoutParams {
  NonNegativeInt timeout_ms;  // 0: never closes
  static constexpr auto fields() {
    return std::tuple{Field{"timeout_ms", &TimeoutParams::timeout_ms}};
  }
};

class Timeout : public Toxic {
 public:
  explicit Timeout(const TimeoutParams& p) : timeout_ms_(p.timeout_ms.value) {}
  void attach(StreamControl& s) override {
    s.pause_relaying();
    if (timeout_ms_ > 0)
      timer_ = s.after(std::chrono::milliseconds(timeout_ms_), [&s] { s.close_connection(); });
  }
  void detach(StreamControl& s) override {
    timer_.reset();
    s.resume_relaying();
  }

 private:
  std::int64_t timeout_ms_;
  StreamControl::Handle timer_;
};

}  // namespace

extern const ToxicKind timeout_toxic = toxic_kind<Timeout, TimeoutParams>("timeout");

}  // namespace sockdrill::behaviors
