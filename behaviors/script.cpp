// A peer's script: parsing its three keys, and running a connection's steps (the one place that
// knows on_error).
#include "behaviors/script.hpp"

#include "common/json_checks.hpp"

namespace sockdrill::behaviors {

namespace {
constexpr std::string_view kOnErrorNames[] = {"close", "hold", "abort"};  // in OnError's order
}  // namespace

std::optional<Script> Script::parse(const Json& peer, const std::string& pointer,
                                    ParseContext& ctx) {
  NoNewErrors ok(ctx.diag);
  Script s;
  if (peer.contains("options")) {
    if (auto options = OptionSet::parse(peer["options"], pointer_join(pointer, "options"), ctx))
      s.options = std::move(*options);
  }
  if (peer.contains("steps")) {
    if (auto steps = parse_steps(peer["steps"], pointer_join(pointer, "steps"), ctx))
      s.steps = std::move(*steps);
  }
  if (peer.contains("on_error")) {
    if (auto name = checks::one_of(peer["on_error"], pointer_join(pointer, "on_error"), ctx.diag,
                                   kOnErrorNames)) {
      for (std::size_t i = 0; i < std::size(kOnErrorNames); ++i)
        if (*name == kOnErrorNames[i]) s.on_error = static_cast<OnError>(i);
    }
  }
  if (!ok()) return std::nullopt;
  return s;
}

void Script::to_json(Json& peer) const {
  if (!options.empty()) peer["options"] = options.to_json();
  if (!steps.empty()) {
    Json list = Json::array();
    for (const auto& step : steps) list.push_back(step->to_json());
    peer["steps"] = std::move(list);
  }
  peer["on_error"] = std::string(kOnErrorNames[static_cast<std::size_t>(on_error)]);
}

Json Script::on_error_schema() {
  Json names = Json::array();
  for (auto name : kOnErrorNames) names.push_back(std::string(name));
  return {{"enum", names}, {"default", names[0]}};
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
