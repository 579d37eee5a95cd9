// Validation of "steps" and "options" through the step and option tables (no Asio needed).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/json.hpp"

namespace sockdrill::behaviors {

struct ValidationContext {
  Diagnostics& diag;
  // Every cue a step waits on, with the pointer of the step, so the parser can check that the
  // timeline gives it.
  std::vector<std::pair<std::string, std::string>> cues_waited;
};

// `steps` is the value of a peer's "steps" key; `pointer` its JSON pointer ("/peers/x/steps").
void validate_steps(const Json& steps, const std::string& pointer, ValidationContext& ctx);
// `options` is the value of an "options" key or of a {"set": ...} step.
void validate_options(const Json& options, const std::string& pointer, ValidationContext& ctx);

}  // namespace sockdrill::behaviors
