// Reads timeline notes in both shapes: today's, and the runner's older one without a kind.
#include "reports/timeline_json.hpp"

namespace sockdrill::reports {
namespace {

// Notes as the runner wrote them before they had a kind: {"t_ms", "cue": NAME},
// {"t_ms", "kill": PEER, "signal", "detail"}, {"t_ms", "fault": {..}}, {"t_ms", "toxic": {..},
// "detail"}, {"t_ms", "start": PEER}. The entry is rebuilt from the note; "detail" was a remark.
TimelineNote older_note_from(LenientReader& r, const Json& j, const std::string& at) {
  TimelineNote n;
  n.t_ms = r.get<double>(j, at, "t_ms");
  const std::string remark = r.get<std::string>(j, at, "detail", "", LenientReader::Need::optional);
  for (const char* kind : {"cue", "kill", "fault", "toxic", "start"})
    if (j.contains(kind)) n.kind = kind;
  if (n.kind.empty()) {
    r.warn(at, "a timeline note of no known kind (cue, kill, fault, toxic, start); kept as it is");
    n.detail = j;
    return n;
  }
  const Json& body = j[n.kind];
  auto compact = [](const Json& v) {
    return v.dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  auto word = [&](const Json& v) { return v.is_string() ? v.get<std::string>() : compact(v); };
  n.detail = {{n.kind, body}};
  if (n.kind == "kill") {
    n.detail["signal"] = j.value("signal", Json("KILL"));
    n.text = word(body) + " " + word(n.detail["signal"]);
  } else if (n.kind == "start") {
    n.detail = nullptr;
    n.text = word(body) + " starts";
  } else if (n.kind == "toxic" && body.is_object()) {  // {"proxy", "add": TOXIC} or "remove": NAME
    n.text = word(body.value("proxy", Json("?")));
    for (const char* change : {"add", "remove"})
      if (body.contains(change)) n.text += std::string(" ") + change + " " + word(body[change]);
  } else if (n.kind == "fault" && body.is_object() && !body.empty()) {  // {"drop": MATCH}, ...
    n.text = body.begin().key();
    if (body.begin().value() != Json(true)) n.text += " " + compact(body.begin().value());
  } else {
    n.text = word(body);
  }
  if (!remark.empty()) n.text += " (" + remark + ")";
  return n;
}

}  // namespace

TimelineNote timeline_note_from(LenientReader& r, const Json& j, const std::string& at) {
  if (!j.contains("kind")) return older_note_from(r, j, at);
  TimelineNote n;
  n.t_ms = r.get<double>(j, at, "t_ms");
  n.kind = r.get<std::string>(j, at, "kind");
  n.text = r.get<std::string>(j, at, "text");
  if (const Json* detail = r.field(j, at, "detail", LenientReader::Need::optional))
    n.detail = *detail;
  return n;
}

}  // namespace sockdrill::reports
