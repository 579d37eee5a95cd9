// Reads a case's JSON into the record, whatever it holds: defaults and warnings, never a throw.
#include <exception>

#include "reports/lenient_json.hpp"
#include "reports/record_json.hpp"
#include "reports/timeline_json.hpp"

namespace sockdrill::reports {
namespace {

using Need = LenientReader::Need;
constexpr Need kOptional = Need::optional;

EventRecord event_from(LenientReader& r, const Json& j, const std::string& at) {
  EventRecord e;
  e.t_ms = r.get<double>(j, at, "t_ms");
  e.peer = r.get<std::string>(j, at, "peer", "", kOptional);
  e.kind = r.get<std::string>(j, at, "kind");
  e.conn = r.maybe<int>(j, at, "conn");
  e.step = r.maybe<int>(j, at, "step");
  e.errno_name = r.maybe<std::string>(j, at, "errno");
  e.code = r.maybe<int>(j, at, "code");
  e.bytes = r.maybe<std::int64_t>(j, at, "bytes");
  e.local = r.get<std::string>(j, at, "local", "", kOptional);
  e.remote = r.get<std::string>(j, at, "remote", "", kOptional);
  e.detail = r.get<std::string>(j, at, "detail", "", kOptional);
  return e;
}

EventCount event_count_from(LenientReader& r, const Json& j, const std::string& at) {
  EventCount c;
  c.peer = r.get<std::string>(j, at, "peer");
  c.kind = r.get<std::string>(j, at, "kind");
  c.errno_name = r.maybe<std::string>(j, at, "errno");
  c.code = r.maybe<int>(j, at, "code");
  c.count = r.get<std::int64_t>(j, at, "count");
  c.first_ms = r.get<double>(j, at, "first_ms");
  c.last_ms = r.get<double>(j, at, "last_ms");
  return c;
}

std::vector<EventRecord> events_from(LenientReader& r, const Json& j, const std::string& at,
                                     std::string_view key, Need need) {
  std::vector<EventRecord> events;
  r.objects(j, at, key, need, [&](const Json& e, const std::string& here) {
    events.push_back(event_from(r, e, here));
  });
  return events;
}

// {"STATE": n, ...}
StateCounts counts_of(LenientReader& r, const Json& map, const std::string& at) {
  StateCounts counts;
  r.members_of(map, at, [&](const std::string& state, const Json& n, const std::string& here) {
    if (auto value = r.value<std::int64_t>(n, here)) counts[state] = *value;
  });
  return counts;
}

// obj[key]: an array of [t_ms, V] (V named `what` in warnings); other items are left out, warned.
template <typename V>
std::vector<std::pair<double, V>> timed_pairs(LenientReader& r, const Json& j,
                                              const std::string& at, std::string_view key,
                                              const std::string& what) {
  std::vector<std::pair<double, V>> pairs;
  const Json* list = r.field(j, at, key, Need::required);
  if (!list) return pairs;
  const std::string here = pointer_to(at, key);
  if (!list->is_array()) {
    r.warn(here, "expected an array of [t_ms, " + what + "]; read as empty");
    return pairs;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& pair = (*list)[i];
    const std::string item = here + "/" + std::to_string(i);
    if (!pair.is_array() || pair.size() != 2) {
      r.warn(item, "expected [t_ms, " + what + "]; left out");
      continue;
    }
    auto t = r.value<double>(pair[0], item + "/0");
    auto v = r.value<V>(pair[1], item + "/1");
    if (t && v) pairs.emplace_back(*t, std::move(*v));
  }
  return pairs;
}

ObservedRecord observed_from(LenientReader& r, const Json& j, const std::string& at) {
  ObservedRecord o;
  o.values = timed_pairs<std::int64_t>(r, j, at, "values", "value");
  o.values_omitted = r.get<std::int64_t>(j, at, "values_omitted", 0, kOptional);
  const std::string last_at = pointer_to(at, "last_sample");
  if (const Json* last = r.field(j, at, "last_sample", kOptional); last && !last->is_object()) {
    r.warn(last_at, "expected an object, got " + std::string(last->type_name()) + "; left out");
  } else if (last) {
    o.last_sample = LastSample{
        r.get<double>(*last, last_at, "t_ms"), r.get<std::string>(*last, last_at, "peer"), {}};
    if (const Json* sockets = r.field(*last, last_at, "sockets", Need::required))
      o.last_sample->sockets = counts_of(r, *sockets, pointer_to(last_at, "sockets"));
  }
  if (r.field(j, at, "events", kOptional)) o.events = events_from(r, j, at, "events", kOptional);
  o.events_omitted = r.get<std::int64_t>(j, at, "events_omitted", 0, kOptional);
  return o;
}

ExpectationRecord expectation_from(LenientReader& r, const Json& j, const std::string& at) {
  ExpectationRecord x;
  x.index = r.get<std::uint64_t>(j, at, "index");
  if (auto expect = j.find("expect"); expect != j.end())
    x.expect = *expect;  // null is a value here
  else
    r.warn(pointer_to(at, "expect"), "missing; using null");
  x.where = r.get<std::string>(j, at, "where");
  x.pointer = r.get<std::string>(j, at, "pointer");
  x.title = r.get<std::string>(j, at, "title", "", kOptional);
  const std::string result = r.get<std::string>(j, at, "result");
  if (auto known = result_from_name(result))
    x.result = *known;
  else if (!result.empty())
    r.warn(pointer_to(at, "result"), "unknown result \"" + result + "\"; read as undecided");
  x.decided_at_ms = r.maybe<double>(j, at, "decided_at_ms");
  x.message = r.get<std::string>(j, at, "message");
  if (const Json* observed = r.field(j, at, "observed", Need::required))
    x.observed = observed_from(r, *observed, pointer_to(at, "observed"));
  x.window_from_ms = r.maybe<double>(j, at, "window_from_ms");
  x.window_to_ms = r.maybe<double>(j, at, "window_to_ms");
  x.label = r.get<std::string>(j, at, "label", "", kOptional);
  return x;
}

PeerRecord peer_from(LenientReader& r, const Json& j, const std::string& at) {
  PeerRecord p;
  p.name = r.get<std::string>(j, at, "name");
  p.started = r.get<bool>(j, at, "started");
  p.pid = r.maybe<std::int64_t>(j, at, "pid");
  p.listening = r.maybe<std::string>(j, at, "listening");
  p.exit_code = r.maybe<int>(j, at, "exit_code");
  if (auto argv = r.strings(j, at, "command", kOptional)) {
    p.command = true;
    p.argv = std::move(*argv);
  }
  p.expected_exit_code = r.maybe<int>(j, at, "expected_exit_code");
  p.stdout_tail = r.get<std::string>(j, at, "stdout", "", kOptional);
  p.stderr_tail = r.get<std::string>(j, at, "stderr", "", kOptional);
  p.stdout_truncated = r.get<bool>(j, at, "stdout_truncated", false, kOptional);
  p.stderr_truncated = r.get<bool>(j, at, "stderr_truncated", false, kOptional);
  if (const Json* bytes = r.field(j, at, "bytes", kOptional)) {
    const std::string here = pointer_to(at, "bytes");
    p.bytes_sent = r.get<std::int64_t>(*bytes, here, "sent");
    p.bytes_received = r.get<std::int64_t>(*bytes, here, "received");
  }
  return p;
}

CommandFailure command_failure_from(LenientReader& r, const Json& j, const std::string& at) {
  return {r.get<std::string>(j, at, "peer"), r.get<int>(j, at, "expected"),
          r.get<int>(j, at, "actual"), r.get<std::string>(j, at, "message"),
          r.maybe<double>(j, at, "t_ms")};
}

SampleRecord sample_from(LenientReader& r, const Json& j, const std::string& at) {
  SampleRecord s;
  s.t_ms = r.get<double>(j, at, "t_ms");
  r.members(j, at, "sockets", Need::required,
            [&](const std::string& peer, const Json& counts, const std::string& here) {
              s.sockets[peer] = counts_of(r, counts, here);
            });
  return s;
}
SocketHistory socket_from(LenientReader& r, const Json& j, const std::string& at) {
  SocketHistory s;
  s.cookie = r.get<std::uint64_t>(j, at, "cookie");
  s.peer = r.get<std::string>(j, at, "peer");
  s.local = r.get<std::string>(j, at, "local", "", kOptional);
  s.remote = r.get<std::string>(j, at, "remote", "", kOptional);
  s.states = timed_pairs<std::string>(r, j, at, "states", "state");
  s.gone_ms = r.maybe<double>(j, at, "gone_ms");
  return s;
}

CaseRecord read_case(const Json& j) {
  LenientReader r;
  const std::string at;
  CaseRecord c;
  if (!j.is_object()) {
    c = error_case("", "", reason_code::harness,
                   std::string("the report is not a JSON object but ") + j.type_name());
    c.warnings.push_back("report JSON at /: expected an object, got " + std::string(j.type_name()));
    return c;
  }
  c.name = r.get<std::string>(j, at, "name");
  c.attempt = r.maybe<int>(j, at, "attempt");
  c.file = r.get<std::string>(j, at, "file");
  const std::string verdict = r.get<std::string>(j, at, "verdict");
  c.outcome.reason = r.get<std::string>(j, at, "reason", "", kOptional);
  c.outcome.code = r.get<std::string>(j, at, "reason_code", "", kOptional);
  if (auto known = verdict_from_name(verdict)) {
    c.outcome.verdict = *known;
  } else {
    // Never read a report into a pass it did not say.
    if (!verdict.empty())
      r.warn("/verdict",
             "\"" + verdict + "\" is not a verdict (pass, fail, error, skip); read as error");
    c.outcome = {
        Verdict::error, std::string(reason_code::harness),
        "the report has no verdict" + (c.outcome.reason.empty() ? "" : ": " + c.outcome.reason)};
  }
  if (c.outcome.verdict == Verdict::error && c.outcome.code.empty()) {
    // Reports from before "reason_code": the runner's wording tells the two common codes.
    const std::string& why = c.outcome.reason;
    c.outcome.code = why.find("time limit") != std::string::npos            ? reason_code::timeout
                     : why.find("exited unexpectedly") != std::string::npos ? reason_code::peer_died
                                                                            : reason_code::harness;
  }
  c.duration_ms = r.get<double>(j, at, "duration_ms");
  c.seed = r.maybe<std::uint64_t>(j, at, "seed");
  c.kernel = r.get<std::string>(j, at, "kernel");
  r.members(j, at, "sysctl", Need::required,
            [&](const std::string& name, const Json& value, const std::string&) {
              c.sysctl[name] = value.is_string()
                                   ? value.get<std::string>()
                                   : value.dump(-1, ' ', false, Json::error_handler_t::replace);
            });
  c.isolation = r.get<std::string>(j, at, "isolation");
  c.sample_ms = r.get<std::int64_t>(j, at, "sample_ms");
  c.observations = r.get<std::int64_t>(j, at, "observations");
  c.late_events = r.get<std::int64_t>(j, at, "late_events", 0, kOptional);
  c.dump_repeats_dropped = r.get<std::int64_t>(j, at, "dump_repeats_dropped", 0, kOptional);
  c.dump_skips_found = r.get<std::int64_t>(j, at, "dump_skips_found", 0, kOptional);
  r.objects(j, at, "peers", Need::required, [&](const Json& p, const std::string& here) {
    c.peers.push_back(peer_from(r, p, here));
  });
  r.objects(j, at, "command_failures", kOptional, [&](const Json& f, const std::string& here) {
    c.command_failures.push_back(command_failure_from(r, f, here));
  });
  r.objects(j, at, "expectations", Need::required, [&](const Json& x, const std::string& here) {
    c.expectations.push_back(expectation_from(r, x, here));
  });
  c.events = events_from(r, j, at, "events", Need::required);
  c.events_omitted = r.get<std::int64_t>(j, at, "events_omitted", 0, kOptional);
  r.objects(j, at, "event_counts", kOptional, [&](const Json& e, const std::string& here) {
    c.event_counts.push_back(event_count_from(r, e, here));
  });
  r.objects(j, at, "timeline", Need::required, [&](const Json& n, const std::string& here) {
    c.timeline.push_back(timeline_note_from(r, n, here));
  });
  c.nftables = r.get<std::string>(j, at, "nftables", "", kOptional);
  r.objects(j, at, "samples", Need::required, [&](const Json& s, const std::string& here) {
    c.samples.push_back(sample_from(r, s, here));
  });
  r.objects(j, at, "sockets", kOptional, [&](const Json& s, const std::string& here) {
    c.sockets.push_back(socket_from(r, s, here));
  });
  c.sockets_omitted = r.get<std::int64_t>(j, at, "sockets_omitted", 0, kOptional);
  c.warnings = r.strings(j, at, "warnings", kOptional).value_or(std::vector<std::string>{});
  c.runner_stderr = r.get<std::string>(j, at, "stderr", "", kOptional);
  c.pcap = r.get<std::string>(j, at, "pcap", "", kOptional);
  for (std::string& w : r.take_warnings()) c.warnings.push_back(std::move(w));
  return c;
}

}  // namespace

CaseRecord case_from_json(const Json& j) {
  try {
    return read_case(j);
  } catch (const std::exception& e) {  // a bug here must not lose the case: say so instead
    return error_case("", "", reason_code::harness,
                      std::string("the case's report could not be read: ") + e.what());
  }
}

CaseRecord case_from_json_text(std::string_view text) {
  try {
    return case_from_json(Json::parse(text));
  } catch (const std::exception& e) {
    return error_case("", "", reason_code::harness,
                      std::string("the case's report is not JSON: ") + e.what());
  }
}

RunRecord run_from_json(const Json& j) {
  RunRecord run;
  auto cases = j.is_object() ? j.find("cases") : j.end();
  if (cases == j.end() || !cases->is_array()) {
    run.cases.push_back(
        error_case("", "", reason_code::harness, "the run's JSON has no \"cases\" array"));
    return run;
  }
  for (const Json& c : *cases) run.cases.push_back(case_from_json(c));
  return run;
}

}  // namespace sockdrill::reports
