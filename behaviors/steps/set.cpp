// {"set": {OPTIONS}}: change socket options now; a failing call is an `error` and fails the step.
#include "behaviors/option.hpp"
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& step, const std::string& pointer, ValidationContext& ctx) {
  validate_options(step.at("set"), pointer_join(pointer, "set"), ctx);
}

class Set final : public Step {
 public:
  explicit Set(OptionSet options) : options_(std::move(options)) {}
  asio::awaitable<StepResult> run(Connection& conn) const override {
    OptionTarget target{conn.fd(), conn.settings};
    auto failures = options_.apply(target);
    for (auto& f : failures) conn.emit_error(f.err, f.call);
    co_return failures.empty() ? StepResult::next : StepResult::failed;
  }

 private:
  OptionSet options_;
};

std::unique_ptr<Step> build(const Json& step) {
  return std::make_unique<Set>(OptionSet::build(step.at("set")));
}

}  // namespace

extern const StepKind set_step{"set", validate, build};

}  // namespace sockdrill::behaviors
