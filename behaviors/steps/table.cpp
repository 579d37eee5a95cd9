// The table of steps: adding a step means its file, one line here, its test and a docs row.
#include "behaviors/step.hpp"

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

}  // namespace sockdrill::behaviors
