// `reset_peer`: after timeout_ms (0: at once) the side this stream writes to gets an RST
// (SO_LINGER 0 close); the relay's other socket is closed.
#include "behaviors/toxics/toxic.hpp"

namespace sockdrill::behaviors {
namespace {

class ResetPeer : public Toxic {
 public:
  explicit ResetPeer(const ToxicSpec& s) : timeout_ms_(s.attr("timeout_ms")) {}
  void attach(StreamControl& s) override {
    timer_ = s.after(std::chrono::milliseconds(timeout_ms_), [&s] { s.reset_destination(); });
  }
  void detach(StreamControl&) override { timer_.reset(); }

 private:
  std::int64_t timeout_ms_;
  StreamControl::Handle timer_;
};

}  // namespace

extern const ToxicKind reset_peer_toxic{"reset_peer", {"timeout_ms"}, make_toxic<ResetPeer>};

}  // namespace sockdrill::behaviors
