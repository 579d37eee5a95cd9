// A peer's behaviour for each of its connections: options, steps and on_error, built once.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <vector>

#include "behaviors/connection.hpp"
#include "behaviors/option.hpp"
#include "behaviors/step.hpp"
#include "common/json.hpp"

namespace sockdrill::behaviors {

enum class OnError { close, hold, abort };

struct Script {
  OptionSet options;
  std::vector<std::unique_ptr<Step>> steps;
  OnError on_error = OnError::close;
};

// From validated JSON: the "options" object, the "steps" array, "on_error" ("close" when
// absent). Throws std::invalid_argument on an unknown on_error (validation is the caller's).
Script build_script(const Json& options, const Json& steps, const std::string& on_error);

// Applies options; each failing call is an `error` event, and the connection goes on (as most
// programs ignore a failed setsockopt).
void apply_options(const OptionSet& options, Connection& conn);

// Runs the steps in order; a failed step ends the connection as on_error says; when the steps
// run out, close().
asio::awaitable<void> run_steps(const Script& script, Connection& conn);

}  // namespace sockdrill::behaviors
