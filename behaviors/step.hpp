// What a step is: its typed parameters parsed once from JSON, written back, and run on a live
// connection, all in one unit (behaviors/steps/*.cpp).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "behaviors/connection.hpp"
#include "behaviors/parse_context.hpp"
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
  // The whole step object as a case writes it, e.g. {"recv": {"bytes": 4}}.
  virtual Json to_json() const = 0;
  virtual asio::awaitable<StepResult> run(Connection& conn) const = 0;
};

struct StepKind {
  std::string_view key;  // the step object's one key: "send", "recv", "sleep_ms", ...
  // Reads the step's value (what is under its key) at `pointer` (".../steps/2/recv"); every
  // problem goes to ctx.diag; nullptr when invalid.
  std::unique_ptr<Step> (*parse)(const Json& value, const std::string& pointer, ParseContext& ctx);
  Json (*schema)();  // JSON Schema 2020-12 of the value (cases/schema.json, $defs/step)
};

// Every step, in the order of the case format (docs/case-format.md) (behaviors/steps/table.cpp).
std::span<const StepKind> step_table();
const StepKind* find_step(std::string_view key);

using StepList = std::vector<std::shared_ptr<const Step>>;
// A peer's "steps" array at `pointer` ("/peers/x/steps"): nullopt when anything is invalid.
std::optional<StepList> parse_steps(const Json& steps, const std::string& pointer,
                                    ParseContext& ctx);

}  // namespace sockdrill::behaviors
