// The case checker's expectations: selectors, quantities and windows.
#include <algorithm>
#include <array>
#include <map>

#include "common/errno_names.hpp"
#include "common/tcp_counters.hpp"
#include "harness/case/case_checker.hpp"

namespace sockdrill {

namespace {

// A counter name this kernel has that `name` is a slip of, when this kernel lacks `name`.
std::optional<std::string> near_counter(const std::string& name) {
  static const std::map<std::string, std::int64_t> here = read_tcp_counters();
  if (here.empty() || here.count(name)) return std::nullopt;
  std::vector<std::string_view> names;
  for (auto& [n, v] : here) names.push_back(n);
  if (auto meant = checks::near_miss(name, names)) return std::string(*meant);
  return std::nullopt;
}

constexpr std::array<std::string_view, 12> kEventKinds = {
    "listening", "connected", "connect_failed", "accepted", "sent",        "received",
    "eof",       "error",     "timeout",        "closed",   "bind_failed", "exit"};
}  // namespace

void CaseChecker::check_expect() {
  if (!checks::has_key(doc_, "", d_, "expect")) return;
  const Json& v = doc_["expect"];
  if (!checks::is_array(v, "/expect", d_)) return;
  if (v.empty()) error("/expect", "expected at least one expectation, got an empty array");
  for (std::size_t i = 0; i < v.size(); ++i) check_expectation(v[i], pointer_join("/expect", i));
}

void CaseChecker::check_expectation(const Json& v, const std::string& ptr) {
  std::size_t before = d_.items().size();
  if (!checks::is_object(v, ptr, d_)) return;
  checks::known_keys(v, ptr, d_,
                     {"sockets", "events", "bytes", "packets", "counter", "count", "by_ms",
                      "from_ms", "until_ms"});
  Expectation x;
  x.where.pointer = ptr;
  x.text = v.dump();
  if (checks::exactly_one_key(v, ptr, d_, {"sockets", "events", "bytes", "packets", "counter"})) {
    if (v.contains("sockets")) check_sockets(v["sockets"], ptr + "/sockets", x.selector);
    else if (v.contains("events")) check_events(v["events"], ptr + "/events", x.selector);
    else if (v.contains("bytes")) check_bytes(v["bytes"], ptr + "/bytes", x.selector);
    else if (v.contains("counter")) check_counter(v["counter"], ptr + "/counter", x.selector);
    else check_packets(v["packets"], ptr + "/packets", x.selector);
  }
  if (checks::has_key(v, ptr, d_, "count")) x.count = check_count(v["count"], ptr + "/count");
  check_window(v, ptr, x);
  if (d_.items().size() == before) spec_.expect.push_back(std::move(x));
}

void CaseChecker::check_sockets(const Json& v, const std::string& ptr, Selector& s) {
  s.kind = Selector::sockets;
  if (!checks::is_object(v, ptr, d_)) return;
  checks::known_keys(v, ptr, d_, {"peer", "state", "recv_q", "send_q"});
  if (checks::has_key(v, ptr, d_, "peer")) peer_ref(v["peer"], ptr + "/peer", &s.peer);
  if (v.contains("recv_q")) s.recv_q = check_count(v["recv_q"], ptr + "/recv_q");
  if (v.contains("send_q")) s.send_q = check_count(v["send_q"], ptr + "/send_q");
  if (!checks::has_key(v, ptr, d_, "state")) return;
  const Json& st = v["state"];
  auto p = ptr + "/state";
  if (st.is_array()) {
    if (st.empty()) error(p, "expected at least one TCP state, got an empty array");
    for (std::size_t i = 0; i < st.size(); ++i) {
      auto state = tcp_state(st[i], pointer_join(p, i));
      if (!state) continue;
      if (std::find(s.states.begin(), s.states.end(), *state) != s.states.end())
        error(pointer_join(p, i), "state " + st[i].get<std::string>() + " is listed twice");
      else s.states.push_back(*state);
    }
  } else if (st.is_string()) {
    if (auto state = tcp_state(st, p)) s.states.push_back(*state);
  } else {
    error(p, "expected a TCP state name or an array of them, got " + checks::describe_type(st));
  }
}

std::optional<TcpState> CaseChecker::tcp_state(const Json& v, const std::string& ptr) {
  if (!checks::is_string(v, ptr, d_)) return std::nullopt;
  if (auto s = tcp_state_from_name(v.get<std::string>())) return s;
  std::string names;
  std::vector<std::string_view> all;
  for (auto s : kAllTcpStates) {
    names += (names.empty() ? "" : " ") + std::string(tcp_state_name(s));
    all.push_back(tcp_state_name(s));
  }
  error(ptr, "expected a TCP state (" + names + "), got \"" + v.get<std::string>() + "\"" +
                 checks::did_you_mean(v.get<std::string>(), all));
  return std::nullopt;
}

void CaseChecker::check_events(const Json& v, const std::string& ptr, Selector& s) {
  s.kind = Selector::events;
  if (!checks::is_object(v, ptr, d_)) return;
  checks::known_keys(v, ptr, d_, {"peer", "kind", "errno", "code"});
  if (checks::has_key(v, ptr, d_, "peer")) peer_ref(v["peer"], ptr + "/peer", &s.peer);
  std::optional<std::string> kind;
  if (checks::has_key(v, ptr, d_, "kind")) kind = checks::one_of(v["kind"], ptr + "/kind", d_, kEventKinds);
  if (kind) s.event_kind = *kind;
  if (kind && *kind != "exit" && !s.peer.empty() && kinds_.count(s.peer) &&
      kinds_.at(s.peer) == PeerKind::command)
    error(ptr + "/kind", "peer \"" + s.peer + "\" is a command: sockdrill sees its sockets and its "
                         "exit, not its calls, so its only events are \"exit\"; use a sockets or "
                         "bytes expectation for it, or events of the peer it talks to");
  if (v.contains("errno") && checks::is_string(v["errno"], ptr + "/errno", d_)) {
    auto name = v["errno"].get<std::string>();
    if (!errno_from_name(name))
      error(ptr + "/errno", "expected a symbolic errno name such as ECONNRESET, EPIPE, "
                            "ETIMEDOUT or ECONNREFUSED, got \"" + name + "\"" +
                                checks::did_you_mean(name, errno_names()));
    else if (kind && *kind != "error" && *kind != "connect_failed" && *kind != "bind_failed")
      error(ptr + "/errno", "events of kind \"" + *kind + "\" carry no errno; only error, "
                            "connect_failed and bind_failed do");
    else s.errno_name = name;
  }
  if (v.contains("code")) {
    if (auto c = int_at(v, ptr, "code", 0)) {
      if (kind && *kind != "exit")
        error(ptr + "/code", "events of kind \"" + *kind + "\" carry no code; only exit does");
      else s.code = static_cast<int>(*c);
    }
  }
}

void CaseChecker::check_bytes(const Json& v, const std::string& ptr, Selector& s) {
  s.kind = Selector::bytes;
  if (!checks::is_object(v, ptr, d_)) return;
  checks::known_keys(v, ptr, d_, {"peer", "dir"});
  if (checks::has_key(v, ptr, d_, "peer")) peer_ref(v["peer"], ptr + "/peer", &s.peer);
  if (checks::has_key(v, ptr, d_, "dir"))
    if (auto dir = one_of(v["dir"], ptr + "/dir", {"received", "sent"})) s.dir_sent = *dir == "sent";
}

// nstat's names: "Tcp" or "TcpExt" and the name /proc/net/snmp or /proc/net/netstat gives.
void CaseChecker::check_counter(const Json& v, const std::string& ptr, Selector& s) {
  s.kind = Selector::counter;
  if (!checks::is_string(v, ptr, d_)) return;
  const std::string name = v.get<std::string>();
  const std::string rest = name.starts_with("TcpExt") ? name.substr(6) : name.starts_with("Tcp") ? name.substr(3) : "";
  const bool ok = !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
  if (!ok)
    error(ptr, "expected a TCP counter as nstat names it: \"Tcp\" or \"TcpExt\" and the name in "
               "/proc/net/snmp or /proc/net/netstat (\"TcpExtListenOverflows\", \"TcpOutRsts\"), got \"" +
                   name + "\"");
  else if (auto near = near_counter(name))
    error(ptr, "this kernel has no TCP counter \"" + name + "\": did you mean \"" + *near +
                   "\"? (a counter a kernel lacks makes the case skip, so a slip would pass unseen)");
  else s.counter_name = name;
}

void CaseChecker::check_packets(const Json& v, const std::string& ptr, Selector& s) {
  s.kind = Selector::packets;
  s.packet_match = packet_match(v, ptr, false);
}

Quantity CaseChecker::check_count(const Json& v, const std::string& ptr) {
  Quantity q;
  if (v.is_number()) {
    if (checks::is_int(v, ptr, d_, 0)) q.min = q.max = v.get<std::int64_t>();
    return q;
  }
  if (!v.is_object()) {
    error(ptr, "expected a count: an integer or {\"min\": A, \"max\": B}, got " + checks::describe_type(v));
    return q;
  }
  const bool known = checks::known_keys(v, ptr, d_, {"min", "max"});
  if (known && !v.contains("min") && !v.contains("max"))
    error(ptr, "expected \"min\", \"max\" or both, got an object with neither (such a count "
               "would hold for any value)");
  q.min = int_at(v, ptr, "min", 0);
  q.max = int_at(v, ptr, "max", 0);
  if (q.min && q.max && *q.min > *q.max)
    error(ptr, "expected \"min\" (" + std::to_string(*q.min) + ") to be at most \"max\" (" +
                   std::to_string(*q.max) + ")");
  return q;
}

void CaseChecker::check_window(const Json& v, const std::string& ptr, Expectation& x) {
  bool by = v.contains("by_ms"), from = v.contains("from_ms"), until = v.contains("until_ms");
  x.by_ms = int_at(v, ptr, "by_ms", 0);
  x.from_ms = int_at(v, ptr, "from_ms", 0);
  x.until_ms = int_at(v, ptr, "until_ms", 0);
  if (by && (from || until)) {
    error(ptr, "expected one time window, \"by_ms\" or \"from_ms\" with \"until_ms\", "
               "found both forms");
  } else if (!by && !from && !until) {
    d_.error({ptr,
              "expected a time window: \"by_ms\" (eventually) or \"from_ms\" with \"until_ms\" "
              "(always), found none",
              "",
              {"by_ms", "from_ms", "until_ms"}});
  } else if (from != until) {
    d_.error({ptr,
              std::string("expected \"from_ms\" and \"until_ms\" together (both or neither), "
                          "found only \"") + (from ? "from_ms" : "until_ms") + "\"",
              "",
              {from ? "until_ms" : "from_ms"}});
  } else if (x.from_ms && x.until_ms && *x.from_ms > *x.until_ms) {
    error(ptr + "/until_ms", "expected \"until_ms\" (" + std::to_string(*x.until_ms) +
                                 ") to be at least \"from_ms\" (" + std::to_string(*x.from_ms) +
                                 ")");
  }
}

}  // namespace sockdrill
