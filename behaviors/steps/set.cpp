// {"set": {OPTIONS}}: change socket options now; a failing call is an `error` and fails the step.
#include "behaviors/option.hpp"
#include "behaviors/step.hpp"

namespace sockdrill::behaviors {
namespace {

class Set final : public Step {
 public:
  explicit Set(OptionSet options) : options_(std::move(options)) {}
  Json to_json() const override { return {{"set", options_.to_json()}}; }
  asio::awaitable<StepResult> run(Connection& conn) const override {
    OptionTarget target{conn.fd(), conn.settings};
    auto failures = options_.apply(target);
    for (auto& f : failures) conn.emit_error(f.err, f.call);
    co_return failures.empty() ? StepResult::next : StepResult::failed;
  }

 private:
  OptionSet options_;
};

std::unique_ptr<Step> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  auto options = OptionSet::parse(v, pointer, ctx);
  if (!options) return nullptr;
  return std::make_unique<Set>(std::move(*options));
}

Json schema() {
  return {{"$ref", "#/$defs/options"}};
}

}  // namespace

extern const StepKind set_step{"set", parse, schema};

}  // namespace sockdrill::behaviors
