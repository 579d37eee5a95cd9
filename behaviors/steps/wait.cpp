// {"wait": "CUE"}: block until the timeline gives the cue (at once if it was given already).
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& step, const std::string& pointer, ValidationContext& ctx) {
  const Json& v = step.at("wait");
  std::string ptr = pointer_join(pointer, "wait");
  if (!checks::is_string(v, ptr, ctx.diag)) return;
  if (v.get<std::string>().empty()) {
    ctx.diag.error(ptr, "expected the name of a cue, got an empty string");
    return;
  }
  // The parser checks that the timeline gives every cue waited on.
  ctx.cues_waited.emplace_back(v.get<std::string>(), pointer);
}

class Wait final : public Step {
 public:
  explicit Wait(std::string cue) : cue_(std::move(cue)) {}
  asio::awaitable<StepResult> run(Connection& conn) const override {
    co_await conn.cues.wait(cue_);
    co_return StepResult::next;
  }

 private:
  std::string cue_;
};

std::unique_ptr<Step> build(const Json& step) {
  return std::make_unique<Wait>(step.at("wait").get<std::string>());
}

}  // namespace

extern const StepKind wait_step{"wait", validate, build};

}  // namespace sockdrill::behaviors
