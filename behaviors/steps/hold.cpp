// {"hold": {}}: never close; the socket stays open, untouched, until the process ends.
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

class Hold final : public Step {
 public:
  Json to_json() const override { return {{"hold", Json::object()}}; }
  asio::awaitable<StepResult> run(Connection& conn) const override {
    conn.hold();
    co_return StepResult::ended;
  }
};

std::unique_ptr<Step> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  if (!checks::is_object(v, pointer, ctx.diag) || !checks::known_keys(v, pointer, ctx.diag, {}))
    return nullptr;
  return std::make_unique<Hold>();
}

Json schema() {
  return {{"type", "object"}, {"maxProperties", 0}};
}

}  // namespace

extern const StepKind hold_step{"hold", parse, schema};

}  // namespace sockdrill::behaviors
