// What the runner tells a sockdrill-peer after its configuration: written and read in one place.
#include "protocol/runner_messages.hpp"

#include "behaviors/parse_context.hpp"
#include "protocol/json_fields.hpp"

namespace sockdrill::protocol {

namespace {
Json to_json(const Start& m) { return Json{{"type", "start"}, {"t0_ns", m.t0_ns}}; }
Json to_json(const Cue& m) { return Json{{"type", "cue"}, {"name", m.name}}; }
Json to_json(const Sync& m) { return Json{{"type", "sync"}, {"id", m.id}}; }
Json to_json(const ToxicLine& m) {
  if (m.add) return Json{{"type", "toxic"}, {"add", m.add->to_json()}};
  return Json{{"type", "toxic"}, {"remove", m.remove}};
}
}  // namespace

std::string to_line(const RunnerMessage& message) {
  return std::visit([](const auto& m) { return to_json(m); }, message)
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<RunnerMessage> read_runner_line(const Json& j, std::string& problem) {
  std::string type;
  Fields f(j, "runner line", problem);
  f.required("type", type);
  if (!f.ok()) return std::nullopt;
  Fields m(j, type, problem);
  if (type == "start") {
    Start s;
    m.required("t0_ns", s.t0_ns);
    if (m.ok()) return s;
  } else if (type == "cue") {
    Cue c;
    m.required("name", c.name);
    if (m.ok()) return c;
  } else if (type == "sync") {
    Sync s;
    m.required("id", s.id);
    if (m.ok()) return s;
  } else if (type == "toxic") {
    ToxicLine t;
    if (j.contains("add")) {
      Diagnostics diag;
      behaviors::ParseContext ctx{diag, {}};
      t.add = behaviors::parse_toxic(j["add"], "/add", ctx);
      for (auto& d : diag.items()) m.fail("add", d.pointer + ": " + d.message);
    } else {
      m.required("remove", t.remove);
    }
    if (m.ok()) return t;
  } else {
    problem = "expected a line of type start, cue, sync or toxic, got \"" + type + "\"";
  }
  return std::nullopt;
}

}  // namespace sockdrill::protocol
