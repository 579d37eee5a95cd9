// Running a connection's steps: the one place that knows on_error.
#include "behaviors/script.hpp"

#include <stdexcept>

namespace sockdrill::behaviors {

Script build_script(const Json& options, const Json& steps, const std::string& on_error) {
  Script s;
  if (options.is_object()) s.options = OptionSet::build(options);
  if (steps.is_array()) {
    for (const auto& step : steps) {
      const StepKind* kind =
          step.is_object() && step.size() == 1 ? find_step(step.begin().key()) : nullptr;
      if (!kind) throw std::invalid_argument("not a validated step: " + step.dump());
      s.steps.push_back(kind->build(step));
    }
  }
  if (on_error == "close")
    s.on_error = OnError::close;
  else if (on_error == "hold")
    s.on_error = OnError::hold;
  else if (on_error == "abort")
    s.on_error = OnError::abort;
  else
    throw std::invalid_argument("on_error: expected close, hold or abort, got " + on_error);
  return s;
}

void apply_options(const OptionSet& options, Connection& conn) {
  OptionTarget target{conn.fd(), conn.settings};
  for (auto& f : options.apply(target)) conn.emit_error(f.err, f.call);
}

asio::awaitable<void> run_steps(const Script& script, Connection& conn) {
  for (std::size_t i = 0; i < script.steps.size() && conn.is_open(); ++i) {
    conn.step = static_cast<int>(i);
    StepResult r = co_await script.steps[i]->run(conn);
    if (r == StepResult::ended) co_return;
    if (r == StepResult::failed) {
      switch (script.on_error) {
        case OnError::close:
          conn.close();
          break;
        case OnError::hold:
          conn.hold();
          break;
        case OnError::abort:
          conn.abort();
          break;
      }
      co_return;
    }
  }
  conn.step = -1;
  conn.close();
}

}  // namespace sockdrill::behaviors
