// `reset_peer`: after timeout_ms (0: at once) the side this stream writes to gets an RST
// (SO_LINGER 0 close); the relay's other socket is closed.
#include "behaviors/toxics/toxic_params.hpp"

namespace sockdrill::behaviors {
namespace {

struct ResetPeerParams {
  NonNegativeInt timeout_ms;  // 0: at once
  static constexpr auto fields() {
    return std::tuple{Field{"timeout_ms", &ResetPeerParams::timeout_ms}};
  }
};

class ResetPeer : public Toxic {
 public:
  explicit ResetPeer(const ResetPeerParams& p) : timeout_ms_(p.timeout_ms.value) {}
  void attach(StreamControl& s) override {
    timer_ = s.after(std::chrono::milliseconds(timeout_ms_), [&s] { s.reset_destination(); });
  }
  void detach(StreamControl&) override { timer_.reset(); }

 private:
  std::int64_t timeout_ms_;
  StreamControl::Handle timer_;
};

}  // namespace

extern const ToxicKind reset_peer_toxic = toxic_kind<ResetPeer, ResetPeerParams>("reset_peer");

}  // namespace sockdrill::behaviors
