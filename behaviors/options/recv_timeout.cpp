// "recv_timeout_ms": how long a recv step without its own timeout_ms waits before a `timeout`.
// It is the peer's own timer, not SO_RCVTIMEO: the kernel is not asked for anything.
#include "behaviors/option.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& v, const std::string& pointer, ValidationContext& ctx) {
  checks::is_int(v, pointer, ctx.diag);
}

class RecvTimeout final : public Option {
 public:
  explicit RecvTimeout(std::int64_t ms) : ms_(ms) {}
  std::vector<OptionFailure> apply(OptionTarget& t) const override {
    t.settings.recv_timeout_ms = ms_;
    return {};
  }

 private:
  std::int64_t ms_;
};

std::unique_ptr<Option> build(const Json& v) {
  return std::make_unique<RecvTimeout>(v.get<std::int64_t>());
}

}  // namespace

extern const OptionKind recv_timeout_option{"recv_timeout_ms", validate, build};

}  // namespace sockdrill::behaviors
