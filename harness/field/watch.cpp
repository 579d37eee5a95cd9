// What `watch` records and says.
#include "harness/field/watch.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {
namespace {

constexpr const char* kCounters[] = {"TcpExtListenOverflows", "TcpExtListenDrops",    "TcpExtTCPAbortOnClose",
                                     "TcpExtTCPAbortOnData",  "TcpExtTCPAbortOnTimeout", "TcpOutRsts"};

std::int64_t count_in(const std::map<std::string, StateCounts>& holders, const std::string& holder, TcpState state) {
  auto h = holders.find(holder);
  if (h == holders.end()) return 0;
  auto s = h->second.find(state);
  return s == h->second.end() ? 0 : static_cast<std::int64_t>(s->second);
}

std::set<std::pair<std::string, TcpState>> keys_of(const WatchSample& a, const WatchSample& b) {
  std::set<std::pair<std::string, TcpState>> keys;
  for (const WatchSample* s : {&a, &b})
    for (auto& [holder, states] : s->holders)
      for (auto& [state, n] : states) keys.insert({holder, state});
  return keys;
}

std::string signed_text(std::int64_t n) { return (n > 0 ? "+" : "-") + thousands(static_cast<std::uint64_t>(n > 0 ? n : -n)); }

}  // namespace

WatchSample watch_sample(const Snapshot& s, std::int64_t t_ms) {
  WatchSample out;
  out.t_ms = t_ms;
  for (const ProcessSockets& p : s.processes) out.holders[p.comm + " " + std::to_string(p.pid)] = p.states;
  if (s.orphans.sockets) out.holders["(no process)"] = s.orphans.states;
  if (s.unattributed.sockets) out.holders["(not attributed)"] = s.unattributed.states;
  for (const char* name : kCounters)
    if (auto it = s.counters.find(name); it != s.counters.end()) out.counters[name] = it->second;
  return out;
}

std::vector<std::string> changes(const WatchSample& before, const WatchSample& now) {
  std::vector<std::pair<std::int64_t, std::string>> lines;
  for (auto& [holder, state] : keys_of(before, now)) {
    const std::int64_t a = count_in(before.holders, holder, state), b = count_in(now.holders, holder, state);
    if (a == b) continue;
    lines.push_back({b - a, signed_text(b - a) + " " + std::string(tcp_state_name(state)) + " " + holder + " (" +
                                thousands(static_cast<std::uint64_t>(b)) + ")"});
  }
  for (auto& [name, value] : now.counters) {
    auto then = before.counters.find(name);
    if (then != before.counters.end() && value != then->second)
      lines.push_back({value - then->second, signed_text(value - then->second) + " " + name});
  }
  std::stable_sort(lines.begin(), lines.end(), [](auto& x, auto& y) { return std::abs(x.first) > std::abs(y.first); });
  std::vector<std::string> out;
  for (auto& [delta, line] : lines) out.push_back(std::move(line));
  return out;
}

std::string growth_text(const Recording& r) {
  if (r.samples.size() < 2) return "";
  const WatchSample& first = r.samples.front();
  const WatchSample& last = r.samples.back();
  const double minutes = static_cast<double>(last.t_ms - first.t_ms) / 60000.0;
  if (minutes <= 0) return "";
  std::vector<std::pair<std::int64_t, std::string>> rows;
  for (auto& [holder, state] : keys_of(first, last)) {
    const std::int64_t a = count_in(first.holders, holder, state), b = count_in(last.holders, holder, state);
    if (a == b) continue;
    char rate[48];
    std::snprintf(rate, sizeof rate, "%+.1f/min", static_cast<double>(b - a) / minutes);
    rows.push_back({b - a, "  " + holder + " " + std::string(tcp_state_name(state)) + ": " +
                               thousands(static_cast<std::uint64_t>(a)) + " -> " +
                               thousands(static_cast<std::uint64_t>(b)) + " (" + rate + ")"});
  }
  if (rows.empty()) return "";
  std::stable_sort(rows.begin(), rows.end(), [](auto& x, auto& y) { return x.first > y.first; });
  char span[64];
  std::snprintf(span, sizeof span, "over %.1f s, %zu samples", static_cast<double>(last.t_ms - first.t_ms) / 1000.0,
                r.samples.size());
  std::string out = std::string("what changed ") + span + ", largest growth first:\n";
  for (auto& [delta, row] : rows) out += row + "\n";
  return out;
}

Json recording_json(const Recording& r) {
  Json samples = Json::array();
  for (const WatchSample& s : r.samples) {
    Json holders = Json::object();
    for (auto& [holder, states] : s.holders) {
      Json per = Json::object();
      for (auto& [state, n] : states) per[std::string(tcp_state_name(state))] = n;
      holders[holder] = per;
    }
    samples.push_back({{"t_ms", s.t_ms}, {"sockets", holders}, {"counters", s.counters}});
  }
  return {{"format", r.format},     {"mode", r.mode},         {"mode_reason", r.mode_reason},
          {"started_at_ms", r.started_at_ms}, {"interval_ms", r.interval_ms}, {"host", r.host},
          {"kernel", r.kernel},     {"netns", r.netns},       {"samples", samples}};
}

reports::RunRecord recording_as_run(const Recording& r) {
  reports::CaseRecord c;
  c.name = "watch " + r.netns;
  c.file = "(sockdrill watch on " + r.host + ")";
  c.outcome = {reports::Verdict::skip, "recording",
               "a recording of " + std::to_string(r.samples.size()) + " samples, one every " +
                   std::to_string(r.interval_ms) + " ms (" + r.mode + "); nothing is judged"};
  c.duration_ms = r.samples.empty() ? 0 : static_cast<double>(r.samples.back().t_ms);
  c.kernel = r.kernel;
  c.sample_ms = r.interval_ms;
  c.observations = static_cast<std::int64_t>(r.samples.size());
  for (const WatchSample& s : r.samples) {
    reports::SampleRecord sample;
    sample.t_ms = static_cast<double>(s.t_ms);
    for (auto& [holder, states] : s.holders)
      for (auto& [state, n] : states) sample.sockets[holder][std::string(tcp_state_name(state))] = static_cast<std::int64_t>(n);
    c.samples.push_back(std::move(sample));
  }
  if (r.mode == "sampling") c.warnings.push_back("sampled every " + std::to_string(r.interval_ms) + " ms: " + r.mode_reason);
  return reports::RunRecord{{c}};
}

}  // namespace sockdrill::field
