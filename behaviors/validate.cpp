// Validation of "steps" and "options" through the step and option tables.
#include "behaviors/validate.hpp"

#include "behaviors/option.hpp"
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {

namespace {
template <typename Table>
std::string keys_of(const Table& table) {
  std::string list;
  for (const auto& kind : table) list += (list.empty() ? "" : ", ") + std::string(kind.key);
  return list;
}
}  // namespace

void validate_steps(const Json& steps, const std::string& pointer, ValidationContext& ctx) {
  if (!checks::is_array(steps, pointer, ctx.diag)) return;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Json& step = steps[i];
    std::string step_ptr = pointer_join(pointer, i);
    if (!checks::is_object(step, step_ptr, ctx.diag)) continue;
    if (step.size() != 1) {
      std::string found;
      for (auto it = step.begin(); it != step.end(); ++it)
        found += (found.empty() ? "\"" : ", \"") + it.key() + "\"";
      ctx.diag.error(step_ptr, "expected a step object with exactly one key (one of: " +
                                   keys_of(step_table()) + "), got " +
                                   (step.empty() ? std::string("none") : found));
      continue;
    }
    const std::string& key = step.begin().key();
    const StepKind* kind = find_step(key);
    if (!kind) {
      ctx.diag.error(
          pointer_join(step_ptr, key),
          "unknown step \"" + key + "\" (expected one of: " + keys_of(step_table()) + ")");
      continue;
    }
    kind->validate(step, step_ptr, ctx);
  }
}

void validate_options(const Json& options, const std::string& pointer, ValidationContext& ctx) {
  if (!checks::is_object(options, pointer, ctx.diag)) return;
  for (auto it = options.begin(); it != options.end(); ++it) {
    std::string ptr = pointer_join(pointer, it.key());
    const OptionKind* kind = find_option(it.key());
    if (!kind) {
      ctx.diag.error(ptr, "unknown option \"" + it.key() +
                              "\" (expected one of: " + keys_of(option_table()) + ")");
      continue;
    }
    kind->validate(it.value(), ptr, ctx);
  }
}

}  // namespace sockdrill::behaviors
