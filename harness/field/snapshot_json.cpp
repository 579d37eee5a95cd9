// Writing and reading sockdrill-snapshot/1.
#include "harness/field/snapshot_json.hpp"

#include <ctime>

namespace sockdrill::field {
namespace {

std::string utc_text(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(unix_ms % 1000));
  return std::string(text) + millis;
}

Json states_json(const StateCounts& states) {
  Json out = Json::object();
  for (auto& [state, count] : states) out[std::string(tcp_state_name(state))] = count;
  return out;
}

Json group_json(const SocketGroup& g) {
  Json out = {{"state", tcp_state_name(g.state)}, {"local", g.local}, {"remote", g.remote},
              {"count", g.count}, {"recv_q", g.recv_q}, {"recv_q_max", g.recv_q_max},
              {"with_unread", g.with_unread}, {"send_q", g.send_q}, {"with_unsent", g.with_unsent}};
  if (g.quiet_ms_min) out["quiet_ms_min"] = *g.quiet_ms_min;
  if (g.quiet_ms_max) out["quiet_ms_max"] = *g.quiet_ms_max;
  if (g.idle_ms_max) out["idle_ms_max"] = *g.idle_ms_max;
  if (g.unread_for_ms_min) out["unread_for_ms_min"] = *g.unread_for_ms_min;
  if (g.unread_for_ms_max) out["unread_for_ms_max"] = *g.unread_for_ms_max;
  if (!g.timers.empty()) out["timers"] = g.timers;
  if (g.expires_ms_max) out["expires_ms_max"] = *g.expires_ms_max;
  return out;
}

Json groups_json(const std::vector<SocketGroup>& groups) {
  Json out = Json::array();
  for (const SocketGroup& g : groups) out.push_back(group_json(g));
  return out;
}

Json ownerless_json(const Ownerless& o) {
  return {{"sockets", o.sockets}, {"states", states_json(o.states)}, {"groups", groups_json(o.groups)}};
}

// Reading: every access names its JSON pointer when the value is missing or of another type.
class Reader {
 public:
  explicit Reader(const Json& root) : root_(root) {}

  const Json& at(const Json& object, const std::string& key, const std::string& where) const {
    if (!object.is_object() || !object.contains(key))
      throw SnapshotFormatError(where + "/" + key + ": missing");
    return object.at(key);
  }
  std::uint64_t u64(const Json& object, const std::string& key, const std::string& where) const {
    const Json& v = at(object, key, where);
    if (!v.is_number_unsigned()) throw wrong(where + "/" + key, "a whole number >= 0", v);
    return v.get<std::uint64_t>();
  }
  std::int64_t i64(const Json& v, const std::string& where) const {
    if (!v.is_number_integer()) throw wrong(where, "a whole number", v);
    return v.get<std::int64_t>();
  }
  std::string text(const Json& object, const std::string& key, const std::string& where) const {
    const Json& v = at(object, key, where);
    if (!v.is_string()) throw wrong(where + "/" + key, "a string", v);
    return v.get<std::string>();
  }
  std::optional<std::uint32_t> maybe_u32(const Json& object, const std::string& key,
                                         const std::string& where) const {
    if (!object.contains(key)) return std::nullopt;
    const Json& v = object.at(key);
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xFFFFFFFFull)
      throw wrong(where + "/" + key, "a whole number >= 0 below 2^32", v);
    return v.get<std::uint32_t>();
  }
  StateCounts states(const Json& object, const std::string& key, const std::string& where) const {
    const Json& v = at(object, key, where);
    if (!v.is_object()) throw wrong(where + "/" + key, "an object of state -> count", v);
    StateCounts out;
    for (auto& [name, count] : v.items()) {
      auto state = tcp_state_from_name(name);
      if (!state) throw SnapshotFormatError(where + "/" + key + "/" + name + ": not a TCP state name");
      out[*state] = u64(v, name, where + "/" + key);
    }
    return out;
  }
  SocketGroup group(const Json& g, const std::string& where) const {
    SocketGroup out;
    auto state = tcp_state_from_name(text(g, "state", where));
    if (!state) throw SnapshotFormatError(where + "/state: not a TCP state name");
    out.state = *state;
    out.local = text(g, "local", where);
    out.remote = text(g, "remote", where);
    out.count = u64(g, "count", where);
    out.recv_q = u64(g, "recv_q", where);
    out.recv_q_max = static_cast<std::uint32_t>(u64(g, "recv_q_max", where));
    out.with_unread = u64(g, "with_unread", where);
    out.send_q = u64(g, "send_q", where);
    out.with_unsent = u64(g, "with_unsent", where);
    out.quiet_ms_min = maybe_u32(g, "quiet_ms_min", where);
    out.quiet_ms_max = maybe_u32(g, "quiet_ms_max", where);
    out.idle_ms_max = maybe_u32(g, "idle_ms_max", where);
    out.unread_for_ms_min = maybe_u32(g, "unread_for_ms_min", where);
    out.unread_for_ms_max = maybe_u32(g, "unread_for_ms_max", where);
    out.expires_ms_max = maybe_u32(g, "expires_ms_max", where);
    if (g.contains("timers")) {
      const Json& t = g.at("timers");
      if (!t.is_object()) throw wrong(where + "/timers", "an object of timer -> count", t);
      for (auto& [name, count] : t.items()) out.timers[name] = u64(t, name, where + "/timers");
    }
    return out;
  }
  std::vector<SocketGroup> groups(const Json& object, const std::string& where) const {
    const Json& list = at(object, "groups", where);
    if (!list.is_array()) throw wrong(where + "/groups", "an array", list);
    std::vector<SocketGroup> out;
    for (std::size_t i = 0; i < list.size(); ++i)
      out.push_back(group(list[i], where + "/groups/" + std::to_string(i)));
    return out;
  }
  Ownerless ownerless(const std::string& key) const {
    const std::string where = "/" + key;
    const Json& o = at(root_, key, "");
    return {u64(o, "sockets", where), states(o, "states", where), groups(o, where)};
  }

  static SnapshotFormatError wrong(const std::string& where, const std::string& expected, const Json& seen) {
    std::string text = seen.dump();
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return SnapshotFormatError(where + ": expected " + expected + ", found " + text);
  }

 private:
  const Json& root_;
};

}  // namespace

Json snapshot_to_json(const Snapshot& s) {
  Json out = {{"format", s.format},
              {"taken_at", utc_text(s.taken_at_ms)},
              {"taken_at_ms", s.taken_at_ms},
              {"took_ms", s.took_ms},
              {"host", s.host},
              {"kernel", s.kernel},
              {"netns", s.netns},
              {"netns_path", s.netns_path},
              {"attribution",
               {{"all_processes", s.all_processes},
                {"unreadable_processes", s.unreadable_processes},
                {"only_pids", s.only_pids}}},
              {"sockets", s.sockets},
              {"states", states_json(s.states)}};
  Json processes = Json::array();
  for (const ProcessSockets& p : s.processes)
    processes.push_back({{"pid", p.pid}, {"comm", p.comm}, {"cmdline", p.cmdline}, {"sockets", p.sockets},
                         {"states", states_json(p.states)}, {"groups", groups_json(p.groups)}});
  out["processes"] = processes;
  out["orphans"] = ownerless_json(s.orphans);
  out["unattributed"] = ownerless_json(s.unattributed);
  Json listeners = Json::array();
  for (const Listener& l : s.listeners)
    listeners.push_back({{"local", l.local}, {"pids", l.pids}, {"accept_queue", l.accept_queue},
                         {"backlog", l.backlog}});
  out["listeners"] = listeners;
  out["sysctls"] = s.sysctls;
  out["counters"] = s.counters;
  return out;
}

Snapshot snapshot_from_json(const Json& json) {
  if (!json.is_object()) throw Reader::wrong("(the document)", "an object", json);
  const Reader r(json);
  Snapshot s;
  s.format = r.text(json, "format", "");
  if (s.format != kSnapshotFormat)
    throw SnapshotFormatError("/format: expected \"" + std::string(kSnapshotFormat) + "\", found \"" +
                              s.format + "\"");
  s.taken_at_ms = r.i64(r.at(json, "taken_at_ms", ""), "/taken_at_ms");
  s.took_ms = static_cast<std::uint32_t>(r.u64(json, "took_ms", ""));
  s.host = r.text(json, "host", "");
  s.kernel = r.text(json, "kernel", "");
  s.netns = r.text(json, "netns", "");
  s.netns_path = r.text(json, "netns_path", "");
  const Json& attribution = r.at(json, "attribution", "");
  const Json& all = r.at(attribution, "all_processes", "/attribution");
  if (!all.is_boolean()) throw Reader::wrong("/attribution/all_processes", "true or false", all);
  s.all_processes = all.get<bool>();
  s.unreadable_processes = r.u64(attribution, "unreadable_processes", "/attribution");
  const Json& only = r.at(attribution, "only_pids", "/attribution");
  if (!only.is_array()) throw Reader::wrong("/attribution/only_pids", "an array of pids", only);
  for (std::size_t i = 0; i < only.size(); ++i)
    s.only_pids.push_back(static_cast<pid_t>(r.i64(only[i], "/attribution/only_pids/" + std::to_string(i))));
  s.sockets = r.u64(json, "sockets", "");
  s.states = r.states(json, "states", "");
  const Json& processes = r.at(json, "processes", "");
  if (!processes.is_array()) throw Reader::wrong("/processes", "an array", processes);
  for (std::size_t i = 0; i < processes.size(); ++i) {
    const std::string where = "/processes/" + std::to_string(i);
    const Json& p = processes[i];
    ProcessSockets out;
    out.pid = static_cast<pid_t>(r.i64(r.at(p, "pid", where), where + "/pid"));
    out.comm = r.text(p, "comm", where);
    out.cmdline = r.text(p, "cmdline", where);
    out.sockets = r.u64(p, "sockets", where);
    out.states = r.states(p, "states", where);
    out.groups = r.groups(p, where);
    s.processes.push_back(std::move(out));
  }
  s.orphans = r.ownerless("orphans");
  s.unattributed = r.ownerless("unattributed");
  const Json& listeners = r.at(json, "listeners", "");
  if (!listeners.is_array()) throw Reader::wrong("/listeners", "an array", listeners);
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    const std::string where = "/listeners/" + std::to_string(i);
    Listener l;
    l.local = r.text(listeners[i], "local", where);
    const Json& pids = r.at(listeners[i], "pids", where);
    if (!pids.is_array()) throw Reader::wrong(where + "/pids", "an array of pids", pids);
    for (std::size_t k = 0; k < pids.size(); ++k)
      l.pids.push_back(static_cast<pid_t>(r.i64(pids[k], where + "/pids/" + std::to_string(k))));
    l.accept_queue = static_cast<std::uint32_t>(r.u64(listeners[i], "accept_queue", where));
    l.backlog = static_cast<std::uint32_t>(r.u64(listeners[i], "backlog", where));
    s.listeners.push_back(std::move(l));
  }
  const Json& sysctls = r.at(json, "sysctls", "");
  if (!sysctls.is_object()) throw Reader::wrong("/sysctls", "an object of name -> value", sysctls);
  for (auto& [name, value] : sysctls.items()) {
    if (!value.is_string()) throw Reader::wrong("/sysctls/" + name, "a string", value);
    s.sysctls[name] = value.get<std::string>();
  }
  const Json& counters = r.at(json, "counters", "");
  if (!counters.is_object()) throw Reader::wrong("/counters", "an object of name -> count", counters);
  for (auto& [name, value] : counters.items()) s.counters[name] = r.i64(value, "/counters/" + name);
  return s;
}

}  // namespace sockdrill::field
