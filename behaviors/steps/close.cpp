// {"close": {}} / {"close": {"linger_s": N}}: close now; linger_s 0 is an abortive close (RST).
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& step, const std::string& pointer, ValidationContext& ctx) {
  const Json& v = step.at("close");
  std::string ptr = pointer_join(pointer, "close");
  if (!checks::is_object(v, ptr, ctx.diag)) return;
  checks::known_keys(v, ptr, ctx.diag, {"linger_s"});
  if (v.contains("linger_s"))
    checks::is_int(v.at("linger_s"), pointer_join(ptr, "linger_s"), ctx.diag);
}

class Close final : public Step {
 public:
  explicit Close(std::optional<int> linger_s) : linger_s_(linger_s) {}
  asio::awaitable<StepResult> run(Connection& conn) const override {
    if (linger_s_)
      conn.close_with_linger(*linger_s_);
    else
      conn.close();
    co_return StepResult::ended;
  }

 private:
  std::optional<int> linger_s_;
};

std::unique_ptr<Step> build(const Json& step) {
  const Json& v = step.at("close");
  std::optional<int> linger;
  if (v.contains("linger_s")) linger = v.at("linger_s").get<int>();
  return std::make_unique<Close>(linger);
}

}  // namespace

extern const StepKind close_step{"close", validate, build};

}  // namespace sockdrill::behaviors
