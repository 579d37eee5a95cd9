// {"close": {}} / {"close": {"linger_s": N}}: close now; linger_s 0 is an abortive close (RST).
#include "behaviors/ranged_int.hpp"
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

class Close final : public Step {
 public:
  explicit Close(std::optional<NonNegativeInt> linger_s) : linger_s_(linger_s) {}
  Json to_json() const override {
    Json v = Json::object();
    if (linger_s_) v["linger_s"] = linger_s_->to_json();
    return {{"close", v}};
  }
  asio::awaitable<StepResult> run(Connection& conn) const override {
    if (linger_s_)
      conn.close_with_linger(linger_s_->value);
    else
      conn.close();
    co_return StepResult::ended;
  }

 private:
  std::optional<NonNegativeInt> linger_s_;
};

std::unique_ptr<Step> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  if (!checks::is_object(v, pointer, ctx.diag)) return nullptr;
  NoNewErrors ok(ctx.diag);
  checks::known_keys(v, pointer, ctx.diag, {"linger_s"});
  std::optional<NonNegativeInt> linger_s;
  read_member(v, "linger_s", pointer, ctx.diag, linger_s);
  return ok() ? std::make_unique<Close>(linger_s) : nullptr;
}

Json schema() {
  return {{"type", "object"},
          {"properties", {{"linger_s", NonNegativeInt::schema()}}},
          {"additionalProperties", false}};
}

}  // namespace

extern const StepKind close_step{"close", parse, schema};

}  // namespace sockdrill::behaviors
