// The table of steps, and a "steps" array parsed through it: adding a step means its file, one
// line here, its test and a docs row.
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {

extern const StepKind send_step;
extern const StepKind recv_step;
extern const StepKind sleep_step;
extern const StepKind wait_step;
extern const StepKind shutdown_step;
extern const StepKind close_step;
extern const StepKind hold_step;
extern const StepKind set_step;

std::span<const StepKind> step_table() {
  // Copies, built on first use, so the order of static initialisation does not matter.
  static const StepKind table[] = {send_step,     recv_step,  sleep_step, wait_step,
                                   shutdown_step, close_step, hold_step,  set_step};
  return table;
}

const StepKind* find_step(std::string_view key) {
  for (const auto& kind : step_table())
    if (kind.key == key) return &kind;
  return nullptr;
}

std::optional<StepList> parse_steps(const Json& steps, const std::string& pointer,
                                    ParseContext& ctx) {
  if (!checks::is_array(steps, pointer, ctx.diag)) return std::nullopt;
  StepList list;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Json& step = steps[i];
    std::string step_ptr = pointer_join(pointer, i);
    if (!checks::is_object(step, step_ptr, ctx.diag)) continue;
    if (step.size() != 1) {
      std::string found;
      for (auto it = step.begin(); it != step.end(); ++it)
        found += (found.empty() ? "\"" : ", \"") + it.key() + "\"";
      ctx.diag.error(step_ptr, "expected a step object with exactly one key (one of: " +
                                   names_of(step_table(), &StepKind::key) + "), got " +
                                   (step.empty() ? std::string("none") : found));
      continue;
    }
    const std::string& key = step.begin().key();
    const StepKind* kind = find_step(key);
    if (!kind) {
      std::vector<std::string_view> keys;
      for (const auto& k : step_table()) keys.push_back(k.key);
      const auto meant = checks::near_miss(key, keys);
      ctx.diag.error({pointer_join(step_ptr, key),
                      "unknown step \"" + key + "\"" + checks::did_you_mean(key, keys) +
                          " (expected one of: " + names_of(step_table(), &StepKind::key) + ")",
                      meant ? std::string(*meant) : "", {}});
      continue;
    }
    if (auto parsed = kind->parse(step.begin().value(), pointer_join(step_ptr, key), ctx))
      list.push_back(std::move(parsed));
  }
  if (list.size() != steps.size()) return std::nullopt;  // some step was refused
  return list;
}

}  // namespace sockdrill::behaviors
