// Writes the record as JSON, with the keys reports have always had.
#include "reports/record_json.hpp"

namespace sockdrill::reports {
namespace {

template <typename T>
void put_if(Json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

void put_if(Json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

template <typename T, typename Convert>
Json list_json(const std::vector<T>& items, Convert convert) {
  Json list = Json::array();
  for (const T& item : items) list.push_back(convert(item));
  return list;
}

Json event_json(const EventRecord& e) {
  Json j = {{"t_ms", e.t_ms}};
  put_if(j, "peer", e.peer);
  j["kind"] = e.kind;
  put_if(j, "conn", e.conn);
  put_if(j, "step", e.step);
  put_if(j, "errno", e.errno_name);
  put_if(j, "code", e.code);
  put_if(j, "bytes", e.bytes);
  put_if(j, "local", e.local);
  put_if(j, "remote", e.remote);
  put_if(j, "detail", e.detail);
  return j;
}

Json event_count_json(const EventCount& c) {
  Json j = {{"peer", c.peer}, {"kind", c.kind}};
  put_if(j, "errno", c.errno_name);
  put_if(j, "code", c.code);
  j["count"] = c.count;
  j["first_ms"] = c.first_ms;
  j["last_ms"] = c.last_ms;
  return j;
}

Json counts_json(const StateCounts& counts) {
  Json j = Json::object();
  for (const auto& [state, n] : counts) j[state] = n;
  return j;
}

Json observed_json(const ObservedRecord& o) {
  Json values = Json::array();
  for (const auto& [t, v] : o.values) values.push_back(Json::array({t, v}));
  Json j = {{"values", std::move(values)}};
  if (o.values_omitted) j["values_omitted"] = o.values_omitted;
  if (o.last_sample)
    j["last_sample"] = {{"t_ms", o.last_sample->t_ms},
                        {"peer", o.last_sample->peer},
                        {"sockets", counts_json(o.last_sample->sockets)}};
  if (o.events) j["events"] = list_json(*o.events, event_json);
  if (o.events_omitted) j["events_omitted"] = o.events_omitted;
  return j;
}

Json expectation_json(const ExpectationRecord& x) {
  Json j = {{"index", x.index},
            {"expect", x.expect},
            {"where", x.where},
            {"pointer", x.pointer}};
  put_if(j, "title", x.title);
  j["result"] = result_name(x.result);
  put_if(j, "decided_at_ms", x.decided_at_ms);
  j["message"] = x.message;
  j["observed"] = observed_json(x.observed);
  put_if(j, "window_from_ms", x.window_from_ms);
  put_if(j, "window_to_ms", x.window_to_ms);
  put_if(j, "label", x.label);
  return j;
}

Json peer_json(const PeerRecord& p) {
  Json j = {{"name", p.name}, {"started", p.started}};
  put_if(j, "pid", p.pid);
  put_if(j, "listening", p.listening);
  put_if(j, "exit_code", p.exit_code);
  if (p.command) {
    j["command"] = p.argv;
    put_if(j, "expected_exit_code", p.expected_exit_code);
    j["stdout"] = p.stdout_tail;
    j["stderr"] = p.stderr_tail;
    if (p.stdout_truncated) j["stdout_truncated"] = true;
    if (p.stderr_truncated) j["stderr_truncated"] = true;
  }
  j["bytes"] = {{"sent", p.bytes_sent}, {"received", p.bytes_received}};
  return j;
}

Json command_failure_json(const CommandFailure& f) {
  Json j = {
      {"peer", f.peer}, {"expected", f.expected}, {"actual", f.actual}, {"message", f.message}};
  put_if(j, "t_ms", f.t_ms);
  return j;
}

Json note_json(const TimelineNote& n) {
  return {{"t_ms", n.t_ms}, {"kind", n.kind}, {"text", n.text}, {"detail", n.detail}};
}

Json sample_json(const SampleRecord& s) {
  Json sockets = Json::object();
  for (const auto& [peer, counts] : s.sockets) sockets[peer] = counts_json(counts);
  return {{"t_ms", s.t_ms}, {"sockets", std::move(sockets)}};
}

Json socket_json(const SocketHistory& s) {
  Json states = Json::array();
  for (const auto& [t, state] : s.states) states.push_back(Json::array({t, state}));
  Json j = {{"cookie", s.cookie},
            {"peer", s.peer},
            {"local", s.local},
            {"remote", s.remote},
            {"states", std::move(states)}};
  put_if(j, "gone_ms", s.gone_ms);
  return j;
}

}  // namespace

Json to_json(const CaseRecord& c) {
  Json j;
  j["name"] = c.name;
  put_if(j, "attempt", c.attempt);
  j["file"] = c.file;
  j["verdict"] = verdict_name(c.outcome.verdict);
  put_if(j, "reason_code", c.outcome.code);
  put_if(j, "reason", c.outcome.reason);
  j["duration_ms"] = c.duration_ms;
  put_if(j, "seed", c.seed);
  j["kernel"] = c.kernel;
  j["sysctl"] = c.sysctl;
  j["isolation"] = c.isolation;
  j["sample_ms"] = c.sample_ms;
  j["observations"] = c.observations;
  j["late_events"] = c.late_events;
  if (c.dump_repeats_dropped) j["dump_repeats_dropped"] = c.dump_repeats_dropped;
  if (c.dump_skips_found) j["dump_skips_found"] = c.dump_skips_found;
  j["peers"] = list_json(c.peers, peer_json);
  if (!c.command_failures.empty())
    j["command_failures"] = list_json(c.command_failures, command_failure_json);
  j["expectations"] = list_json(c.expectations, expectation_json);
  j["events"] = list_json(c.events, event_json);
  if (c.events_omitted) j["events_omitted"] = c.events_omitted;
  if (!c.event_counts.empty()) j["event_counts"] = list_json(c.event_counts, event_count_json);
  j["timeline"] = list_json(c.timeline, note_json);
  put_if(j, "nftables", c.nftables);
  j["samples"] = list_json(c.samples, sample_json);
  if (!c.sockets.empty()) j["sockets"] = list_json(c.sockets, socket_json);
  if (c.sockets_omitted) j["sockets_omitted"] = c.sockets_omitted;
  if (!c.warnings.empty()) j["warnings"] = c.warnings;
  put_if(j, "stderr", c.runner_stderr);
  put_if(j, "pcap", c.pcap);
  return j;
}

Json to_json(const RunRecord& run) {
  return {{"cases", list_json(run.cases, [](const CaseRecord& c) { return to_json(c); })}};
}

}  // namespace sockdrill::reports
