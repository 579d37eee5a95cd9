// `timeout`: stops relaying the stream (its source is no longer read, nothing queued is
// delivered); after timeout_ms the connection is closed, never when 0. Removing the toxic lets
// data flow again.
#include "behaviors/toxics/toxic.hpp"

namespace sockdrill::behaviors {
namespace {

class Timeout : public Toxic {
 public:
  explicit Timeout(const ToxicSpec& s) : timeout_ms_(s.attr("timeout_ms")) {}
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

extern const ToxicKind timeout_toxic{"timeout", {"timeout_ms"}, make_toxic<Timeout>};

}  // namespace sockdrill::behaviors
