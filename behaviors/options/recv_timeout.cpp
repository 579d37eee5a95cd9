// "recv_timeout_ms": how long a recv step without its own timeout_ms waits before a `timeout`.
// It is the peer's own timer, not SO_RCVTIMEO: the kernel is not asked for anything.
#include "behaviors/option.hpp"

namespace sockdrill::behaviors {
namespace {

class RecvTimeout final : public Option {
 public:
  explicit RecvTimeout(NonNegativeInt ms) : ms_(ms) {}
  std::string_view key() const override { return "recv_timeout_ms"; }
  Json value_json() const override { return ms_.to_json(); }
  std::vector<OptionFailure> apply(OptionTarget& t) const override {
    t.settings.recv_timeout_ms = ms_.value;
    return {};
  }

 private:
  NonNegativeInt ms_;
};

std::unique_ptr<Option> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  NonNegativeInt ms;
  if (!ms.read(v, pointer, ctx.diag)) return nullptr;
  return std::make_unique<RecvTimeout>(ms);
}

}  // namespace

extern const OptionKind recv_timeout_option{"recv_timeout_ms", parse, NonNegativeInt::schema};

}  // namespace sockdrill::behaviors
