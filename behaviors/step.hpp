// What a step is: validation, construction and execution in one unit (behaviors/steps/*.cpp).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "behaviors/connection.hpp"
#include "behaviors/validate.hpp"
#include "common/json.hpp"

namespace sockdrill::behaviors {

enum class StepResult {
  next,    // done; go on with the next step
  failed,  // the step raised its event; on_error decides what happens to the connection
  ended,   // the step itself ended the connection (close, hold); nothing more runs
};

class Step {
 public:
  virtual ~Step() = default;
  virtual asio::awaitable<StepResult> run(Connection& conn) const = 0;
};

struct StepKind {
  std::string_view key;  // the step object's one key: "send", "recv", "sleep_ms", ...
  // `step` is the whole step object ({"recv": {...}}), `pointer` its JSON pointer; problems
  // with the value are reported at pointer + "/" + key.
  void (*validate)(const Json& step, const std::string& pointer, ValidationContext& ctx);
  // Builds from a validated step object.
  std::unique_ptr<Step> (*build)(const Json& step);
};

// Every step, in the order of CASE_FORMAT.md (behaviors/steps/table.cpp).
std::span<const StepKind> step_table();
const StepKind* find_step(std::string_view key);

}  // namespace sockdrill::behaviors
