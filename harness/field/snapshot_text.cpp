// Writing a snapshot for the terminal.
#include "harness/field/snapshot_text.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

namespace sockdrill::field {
namespace {

std::string seconds_text(std::uint32_t ms) {
  std::ostringstream out;
  if (ms < 10000) {
    out.precision(1);
    out << std::fixed << ms / 1000.0 << " s";
  } else {
    out << thousands(ms / 1000) << " s";
  }
  return out.str();
}

std::string bytes_text(std::uint64_t bytes) { return thousands(bytes) + " B"; }

void ownerless_text(std::ostringstream& out, const char* title, const Ownerless& o, std::size_t max_groups) {
  if (o.sockets == 0) return;
  out << title << ": " << thousands(o.sockets) << " (" << states_text(o.states) << ")\n";
  for (std::size_t i = 0; i < o.groups.size() && i < max_groups; ++i) out << "    " << group_text(o.groups[i]) << "\n";
  if (o.groups.size() > max_groups) out << "    ... " << o.groups.size() - max_groups << " more groups\n";
}

}  // namespace

std::string thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

std::string states_text(const StateCounts& states) {
  std::vector<std::pair<TcpState, std::uint64_t>> sorted(states.begin(), states.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.second > b.second; });
  std::string out;
  for (auto& [state, count] : sorted)
    out += (out.empty() ? "" : ", ") + thousands(count) + " " + std::string(tcp_state_name(state));
  return out.empty() ? "none" : out;
}

std::string group_text(const SocketGroup& g) {
  std::string out = thousands(g.count) + " " + std::string(tcp_state_name(g.state)) + " " + g.local;
  if (g.state != TcpState::LISTEN) out += (g.local.ends_with(":*") ? " -> " : " <- ") + g.remote;
  if (g.state == TcpState::LISTEN) return out;
  if (g.with_unread > 0)
    out += "; unread data in " + thousands(g.with_unread) + " (" + bytes_text(g.recv_q) + ", at most " +
           bytes_text(g.recv_q_max) + ")";
  if (g.with_unsent > 0)
    out += "; unacknowledged data in " + thousands(g.with_unsent) + " (" + bytes_text(g.send_q) + ")";
  if (g.quiet_ms_max) {
    out += "; peer silent " + seconds_text(*g.quiet_ms_min);
    if (*g.quiet_ms_max != *g.quiet_ms_min) out += " to " + seconds_text(*g.quiet_ms_max);
  }
  if (!g.timers.empty() && g.expires_ms_max) {
    std::string names;
    for (auto& [name, count] : g.timers) names += (names.empty() ? "" : "/") + name;
    out += "; " + names + " timer, at most " + seconds_text(*g.expires_ms_max) + " left";
  }
  return out;
}

std::string snapshot_text(const Snapshot& s, std::size_t max_groups) {
  std::ostringstream out;
  out << "TCP sockets of " << (s.netns_path.empty() ? "network namespace " + s.netns : s.netns_path + " (" + s.netns + ")")
      << " on " << s.host << ", kernel " << s.kernel << "\n";
  out << thousands(s.sockets) << " sockets: " << states_text(s.states) << "\n";
  if (!s.all_processes) {
    if (!s.only_pids.empty())
      out << "only the processes named with --pid are shown; other holders' sockets are \"not attributed\"\n";
    else
      out << "the descriptors of " << thousands(s.unreadable_processes)
          << (s.unreadable_processes == 1 ? " process" : " processes") << " could not be read (another user's, or refused to this one): their "
             "sockets are \"not attributed\"\n";
  }
  for (const ProcessSockets& p : s.processes) {
    out << "\n" << p.comm << " " << p.pid << ": " << thousands(p.sockets) << " (" << states_text(p.states) << ")\n";
    out << "    " << p.cmdline << "\n";
    for (std::size_t i = 0; i < p.groups.size() && i < max_groups; ++i) out << "    " << group_text(p.groups[i]) << "\n";
    if (p.groups.size() > max_groups) out << "    ... " << p.groups.size() - max_groups << " more groups\n";
  }
  out << "\n";
  ownerless_text(out, "held by no process (closed, TIME_WAIT, handshakes)", s.orphans, max_groups);
  ownerless_text(out, "not attributed", s.unattributed, max_groups);
  if (!s.listeners.empty()) {
    out << "listeners (accept queue / backlog):\n";
    for (const Listener& l : s.listeners) {
      out << "    " << l.local << " " << l.accept_queue << "/" << l.backlog;
      if (l.accept_queue >= l.backlog) out << " FULL";
      for (pid_t pid : l.pids) out << " pid " << pid;
      out << "\n";
    }
  }
  static constexpr const char* kShown[] = {"TcpExtListenOverflows", "TcpExtListenDrops",  "TcpExtTCPAbortOnData",
                                           "TcpExtTCPAbortOnClose", "TcpExtTCPAbortOnTimeout", "TcpExtTCPTimeouts",
                                           "TcpEstabResets",        "TcpExtTCPAbortOnMemory"};
  std::string counters;
  for (const char* name : kShown) {
    auto it = s.counters.find(name);
    if (it != s.counters.end())
      counters += (counters.empty() ? "" : ", ") + std::string(name) + " " + thousands(static_cast<std::uint64_t>(std::max<std::int64_t>(0, it->second)));
  }
  if (!counters.empty()) out << "counters since the namespace began: " << counters << "\n";
  std::string sysctls;
  for (auto& [name, value] : s.sysctls) {
    const std::string shortname = name.substr(name.rfind('.') + 1);
    sysctls += (sysctls.empty() ? "" : ", ") + shortname + " " + value;
  }
  if (!sysctls.empty()) out << "sysctls: " << sysctls << "\n";
  return out.str();
}

}  // namespace sockdrill::field
