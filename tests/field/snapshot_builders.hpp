// Test-only: small snapshots built by hand.
#pragma once
#include "harness/field/snapshot.hpp"

namespace sockdrill::field::testing {

inline SocketGroup group(TcpState state, std::uint64_t count, std::string local, std::string remote) {
  SocketGroup g;
  g.state = state;
  g.count = count;
  g.local = std::move(local);
  g.remote = std::move(remote);
  return g;
}

inline ProcessSockets process(pid_t pid, std::vector<SocketGroup> groups) {
  ProcessSockets p;
  p.pid = pid;
  p.comm = "server";
  p.cmdline = "/usr/bin/server --port 8080";
  p.groups = std::move(groups);
  for (const SocketGroup& g : p.groups) {
    p.sockets += g.count;
    p.states[g.state] += g.count;
  }
  return p;
}

// A snapshot of these processes and orphans, its totals summed from them.
inline Snapshot snapshot(std::vector<ProcessSockets> processes, std::vector<SocketGroup> orphans = {}) {
  Snapshot s;
  s.taken_at_ms = 1'800'000'000'000;
  s.host = "test";
  s.kernel = "6.1.0";
  s.netns = "net:[1]";
  s.all_processes = true;
  for (const ProcessSockets& p : processes)
    for (auto& [state, count] : p.states) {
      s.states[state] += count;
      s.sockets += count;
    }
  for (const SocketGroup& g : orphans) {
    s.orphans.sockets += g.count;
    s.orphans.states[g.state] += g.count;
    s.states[g.state] += g.count;
    s.sockets += g.count;
  }
  s.orphans.groups = std::move(orphans);
  s.processes = std::move(processes);
  s.sysctls["net.ipv4.tcp_fin_timeout"] = "60";
  s.sysctls["net.ipv4.ip_local_port_range"] = "32768 60999";
  return s;
}

}  // namespace sockdrill::field::testing
