// {"wait": "CUE"}: block until the timeline gives the cue (at once if it was given already).
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

class Wait final : public Step {
 public:
  explicit Wait(std::string cue) : cue_(std::move(cue)) {}
  Json to_json() const override { return {{"wait", cue_}}; }
  asio::awaitable<StepResult> run(Connection& conn) const override {
    co_await conn.cues.wait(cue_);
    co_return StepResult::next;
  }

 private:
  std::string cue_;
};

std::unique_ptr<Step> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  auto cue = checks::non_empty_string(v, pointer, ctx.diag, "the name of a cue");
  if (!cue) return nullptr;
  // The case parser checks that the timeline gives every cue waited on; it names the step,
  // the parent of this value.
  ctx.cues_waited.emplace_back(*cue, pointer.substr(0, pointer.rfind('/')));
  return std::make_unique<Wait>(*cue);
}

Json schema() {
  return {{"type", "string"}, {"minLength", 1}};
}

}  // namespace

extern const StepKind wait_step{"wait", parse, schema};

}  // namespace sockdrill::behaviors
