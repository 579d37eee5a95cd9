// A peer's behaviour for each of its connections: options, steps and on_error, parsed once.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "behaviors/connection.hpp"
#include "behaviors/option.hpp"
#include "behaviors/parse_context.hpp"
#include "behaviors/step.hpp"
#include "common/json.hpp"

namespace sockdrill::behaviors {

enum class OnError { close, hold, abort };

struct Script {
  OptionSet options;
  StepList steps;
  OnError on_error = OnError::close;

  // Reads "options", "steps" and "on_error" of a peer object at `pointer` (other keys are the
  // caller's); nullopt when any of them is invalid.
  static std::optional<Script> parse(const Json& peer, const std::string& pointer,
                                     ParseContext& ctx);
  // Writes those three keys into `peer`: options and steps when there are any, on_error always
  // (so a peer gets it).
  void to_json(Json& peer) const;
  static Json on_error_schema();  // cases/schema.json, $defs/on_error
};

// Applies options; each failing call is an `error` event, and the connection goes on (as most
// programs ignore a failed setsockopt).
void apply_options(const OptionSet& options, Connection& conn);

// Runs the steps in order; a failed step ends the connection as on_error says; when the steps
// run out, close().
asio::awaitable<void> run_steps(const Script& script, Connection& conn);

}  // namespace sockdrill::behaviors
