// {"hold": {}}: never close; the socket stays open, untouched, until the process ends.
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& step, const std::string& pointer, ValidationContext& ctx) {
  const Json& v = step.at("hold");
  std::string ptr = pointer_join(pointer, "hold");
  if (checks::is_object(v, ptr, ctx.diag)) checks::known_keys(v, ptr, ctx.diag, {});
}

class Hold final : public Step {
 public:
  asio::awaitable<StepResult> run(Connection& conn) const override {
    conn.hold();
    co_return StepResult::ended;
  }
};

std::unique_ptr<Step> build(const Json&) {
  return std::make_unique<Hold>();
}

}  // namespace

extern const StepKind hold_step{"hold", validate, build};

}  // namespace sockdrill::behaviors
