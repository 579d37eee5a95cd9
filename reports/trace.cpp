// The Chrome trace writer: a run as Trace Event Format JSON for Perfetto and chrome://tracing.
//
// Every case is its own group of processes: one for the case (its timeline notes and one track
// per expectation window) and one per peer (its events, its socket counts, its connections as
// async spans keyed by socket cookie with each TCP state a nested slice). Times are case time:
// ts is the case report's t_ms in microseconds, so cases of one run all start together; the
// run is moved later by `lead_ms` (metadata) when something happened before t = 0.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "reports/trace_events.hpp"
#include "reports/writers.hpp"

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

constexpr std::string_view kUnattributed = "(unattributed)";
constexpr int kTimelineTid = 1;
constexpr int kEventsTid = 1;
constexpr int kFirstExpectationTid = 10;

// Where a case's processes are: the case at `base`, peer i at base + 1 + i, the sockets no
// peer claims at the end of its block.
struct CaseLayout {
  int base = 0;
  int stride = 0;
  const CaseRecord* c = nullptr;
  double lead_ms = 0;  // added to every time (see earliest_ms)

  double at_ms(double t_ms) const { return t_ms + lead_ms; }

  int case_pid() const { return base; }
  int unattributed_pid() const { return base + stride - 1; }
  int peer_pid(std::string_view peer) const {
    for (std::size_t i = 0; i < c->peers.size(); ++i)
      if (c->peers[i].name == peer) return base + 1 + static_cast<int>(i);
    return unattributed_pid();
  }
};

void append(Json& events, Json more) {
  if (more.is_array())
    for (Json& e : more) events.push_back(std::move(e));
  else
    events.push_back(std::move(more));
}

bool counts_only(const CaseRecord& c) {
  return c.sockets_omitted > 0 || c.sockets.size() > kSocketHistoriesKept;
}

std::int64_t connections_seen(const CaseRecord& c) {
  return static_cast<std::int64_t>(c.sockets.size()) + c.sockets_omitted;
}

bool has_unattributed(const CaseRecord& c) {
  for (const SampleRecord& s : c.samples)
    if (s.sockets.count(std::string(kUnattributed))) return true;
  for (const SocketHistory& s : c.sockets)
    if (s.peer == kUnattributed) return true;
  return false;
}

void name_processes(const CaseLayout& at, Json& events) {
  const CaseRecord& c = *at.c;
  const std::string tag = " [" + c.name + "]";
  append(events,
         trace::process_name(at.case_pid(),
                             "case " + c.name + ": " + std::string(verdict_name(c.outcome.verdict)),
                             at.case_pid()));
  append(events, trace::thread_name(at.case_pid(), kTimelineTid, "timeline", 0));
  for (std::size_t i = 0; i < c.peers.size(); ++i) {
    const int pid = at.base + 1 + static_cast<int>(i);
    append(events, trace::process_name(pid, c.peers[i].name + tag, pid));
    append(events, trace::thread_name(pid, kEventsTid, "events", 0));
  }
  if (has_unattributed(c))
    append(events, trace::process_name(at.unattributed_pid(), std::string(kUnattributed) + tag,
                                       at.unattributed_pid()));
}

// One "sockets" counter per peer; a state it had before and lacks now counts 0.
void socket_counters(const CaseLayout& at, Json& events) {
  std::map<std::string, std::set<std::string>> states_of;
  for (const SampleRecord& s : at.c->samples)
    for (const auto& [peer, counts] : s.sockets)
      for (const auto& [state, n] : counts) states_of[peer].insert(state);
  for (const SampleRecord& s : at.c->samples)
    for (const auto& [peer, states] : states_of) {
      const auto now = s.sockets.find(peer);
      Json values = Json::object();
      for (const std::string& state : states) {
        std::int64_t n = 0;
        if (now != s.sockets.end())
          if (auto it = now->second.find(state); it != now->second.end()) n = it->second;
        values[state] = n;
      }
      events.push_back(
          trace::counter(at.peer_pid(peer), at.at_ms(s.t_ms), "sockets", std::move(values)));
    }
}

std::string event_title(const EventRecord& e) {
  std::string title = e.kind;
  if (e.errno_name) title += " " + *e.errno_name;
  if (e.code) title += " " + std::to_string(*e.code);
  return title;
}

Json event_args(const EventRecord& e) {
  Json args = Json::object();
  if (e.conn) args["conn"] = *e.conn;
  if (e.step) args["step"] = *e.step;
  if (e.errno_name) args["errno"] = *e.errno_name;
  if (e.code) args["code"] = *e.code;
  if (e.bytes) args["bytes"] = *e.bytes;
  if (!e.local.empty()) args["local"] = e.local;
  if (!e.remote.empty()) args["remote"] = e.remote;
  if (!e.detail.empty()) args["detail"] = e.detail;
  return args;
}

void peer_events(const CaseLayout& at, Json& events) {
  for (const EventRecord& e : at.c->events)
    events.push_back(trace::instant(at.peer_pid(e.peer), kEventsTid, at.at_ms(e.t_ms),
                                    event_title(e), event_args(e)));
  for (const CommandFailure& f : at.c->command_failures)
    if (f.t_ms)
      events.push_back(trace::instant(
          at.peer_pid(f.peer), kEventsTid, at.at_ms(*f.t_ms),
          "exit status " + std::to_string(f.actual) + ", expected " + std::to_string(f.expected),
          {{"message", f.message}}));
}

void timeline_notes(const CaseLayout& at, Json& events) {
  const CaseRecord& c = *at.c;
  for (const TimelineNote& n : c.timeline) {
    Json args = {{"kind", n.kind}, {"text", n.text}};
    if (!n.detail.is_null()) args["detail"] = n.detail.dump();
    events.push_back(trace::instant(at.case_pid(), kTimelineTid, at.at_ms(n.t_ms),
                                    n.kind + ": " + n.text, args));
  }
  if (counts_only(c))
    events.push_back(trace::instant(
        at.case_pid(), kTimelineTid, at.at_ms(0), "connections shown as counts only",
        {{"connections", connections_seen(c)},
         {"limit", kSocketHistoriesKept},
         {"why", "more connections than the trace draws one by one; see the sockets counters"}}));
}

// A connection's span from its first sighting until it was gone (or the case ended), with one
// nested slice per state.
void connection_span(const CaseLayout& at, const SocketHistory& s, Json& events) {
  if (s.states.empty()) return;
  double end = s.gone_ms.value_or(at.c->duration_ms);
  if (end < s.states.back().first) end = s.states.back().first;
  const int pid = at.peer_pid(s.peer);
  const std::string id = trace::cookie_id(s.cookie);
  const std::string title = s.local + " -> " + s.remote;
  events.push_back(trace::async_begin(
      pid, id, at.at_ms(s.states.front().first), title,
      {{"cookie", id}, {"peer", s.peer}, {"local", s.local}, {"remote", s.remote}}));
  for (std::size_t i = 0; i < s.states.size(); ++i) {
    const auto& [from, state] = s.states[i];
    const double to = i + 1 < s.states.size() ? s.states[i + 1].first : end;
    events.push_back(trace::async_begin(pid, id, at.at_ms(from), state, Json::object()));
    events.push_back(trace::async_end(pid, id, at.at_ms(to), state));
  }
  events.push_back(trace::async_end(pid, id, at.at_ms(end), title));
}

void expectation_windows(const CaseLayout& at, Json& events) {
  const CaseRecord& c = *at.c;
  for (const ExpectationRecord& x : c.expectations) {
    const int tid = kFirstExpectationTid + static_cast<int>(x.index);
    const std::string result(result_name(x.result));
    const std::string title = "expect #" + std::to_string(x.index) + " " + result;
    append(events, trace::thread_name(at.case_pid(), tid, title, tid));
    const double from = x.window_from_ms.value_or(0);
    double to = x.window_to_ms.value_or(x.decided_at_ms.value_or(c.duration_ms));
    if (to < from) to = from;
    Json args = {{"result", result},
                 {"message", x.message},
                 {"where", x.where},
                 {"expect", x.expect.dump()}};
    if (x.decided_at_ms) args["decided_at_ms"] = *x.decided_at_ms;
    events.push_back(
        trace::complete(at.case_pid(), tid, at.at_ms(from), at.at_ms(to), title, std::move(args)));
    if (x.decided_at_ms)
      events.push_back(trace::instant(at.case_pid(), tid, at.at_ms(*x.decided_at_ms),
                                      "decided: " + result, {{"message", x.message}}));
  }
}

Json case_events(const CaseLayout& at) {
  Json events = Json::array();
  name_processes(at, events);
  timeline_notes(at, events);
  expectation_windows(at, events);
  socket_counters(at, events);
  peer_events(at, events);
  if (!counts_only(*at.c))
    for (const SocketHistory& s : at.c->sockets) connection_span(at, s, events);
  return events;
}

Json case_metadata(const CaseLayout& at) {
  const CaseRecord& c = *at.c;
  return {{"name", c.name},
          {"verdict", verdict_name(c.outcome.verdict)},
          {"pid", at.case_pid()},
          {"duration_ms", c.duration_ms},
          {"connections", connections_seen(c)},
          {"connection_spans", counts_only(c)
                                   ? "none: counts only, more than " +
                                         std::to_string(kSocketHistoriesKept) + " connections"
                                   : std::string("one per connection")}};
}

// The earliest time in the run: a peer that starts before t = 0 has events before it.
double earliest_ms(const RunRecord& run) {
  double earliest = 0;
  auto see = [&](double t) { earliest = std::min(earliest, t); };
  for (const CaseRecord& c : run.cases) {
    for (const EventRecord& e : c.events) see(e.t_ms);
    for (const TimelineNote& n : c.timeline) see(n.t_ms);
    for (const SampleRecord& s : c.samples) see(s.t_ms);
    for (const SocketHistory& s : c.sockets)
      if (!s.states.empty()) see(s.states.front().first);
    for (const CommandFailure& f : c.command_failures)
      if (f.t_ms) see(*f.t_ms);
  }
  return earliest;
}

}  // namespace

Json trace_json(const RunRecord& run) {
  int stride = 1000;
  for (const CaseRecord& c : run.cases)
    stride = std::max(stride, static_cast<int>(c.peers.size()) + 2);
  // Some readers drop events before 0: the whole run moves later by whole milliseconds instead.
  const double lead_ms = std::max(0.0, std::ceil(-earliest_ms(run)));
  Json events = Json::array();
  Json cases = Json::array();
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    const CaseLayout at{static_cast<int>(i + 1) * stride, stride, &run.cases[i], lead_ms};
    append(events, case_events(at));
    cases.push_back(case_metadata(at));
  }
  return {{"displayTimeUnit", "ms"},
          {"metadata",
           {{"format", "sockdrill-trace/1"},
            {"time", "case time: ts is each case's t_ms plus lead_ms, in microseconds"},
            {"lead_ms", lead_ms},
            {"cases", std::move(cases)}}},
          {"traceEvents", std::move(events)}};
}

void write_trace_file(const RunRecord& run, const fs::path& file) {
  const Json trace = trace_json(run);
  write_checked(file, [&](std::ostream& out) {
    auto text = [](const Json& j) {
      return j.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    // One event a line: readable, and still one JSON object.
    out << "{\"displayTimeUnit\":\"ms\",\n\"metadata\":" << text(trace["metadata"])
        << ",\n\"traceEvents\":[";
    const char* between = "\n";
    for (const Json& e : trace["traceEvents"]) {
      out << between << text(e);
      between = ",\n";
    }
    out << "\n]}\n";
  });
}

}  // namespace sockdrill::reports
