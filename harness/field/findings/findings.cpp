// The table of finding kinds and what the rules share.
#include <array>
#include <sstream>

#include "harness/field/findings/finding.hpp"

namespace sockdrill::field {

void find_forgotten_close(const ExplainInput&, std::vector<Finding>&);    // forgotten_close.cpp
void find_stopped_reading(const ExplainInput&, std::vector<Finding>&);    // stopped_reading.cpp
void find_accept_queue_full(const ExplainInput&, std::vector<Finding>&);  // accept_queue_full.cpp
void find_fin_wait2_pile(const ExplainInput&, std::vector<Finding>&);     // fin_wait2_pile.cpp
void find_time_wait_pile(const ExplainInput&, std::vector<Finding>&);     // time_wait_pile.cpp
void find_syn_backlog(const ExplainInput&, std::vector<Finding>&);        // syn_backlog.cpp
void find_orphans(const ExplainInput&, std::vector<Finding>&);            // orphans.cpp
void find_reset_storm(const ExplainInput&, std::vector<Finding>&);        // reset_storm.cpp

namespace {

const std::array kKinds{
    FindingKind{"forgotten_close", "CLOSE_WAIT held by a live process: the peer closed, the program did not",
                find_forgotten_close},
    FindingKind{"stopped_reading", "data waits unread in receive queues: closing those sockets will reset them",
                find_stopped_reading},
    FindingKind{"accept_queue_full", "a listener at its backlog: accept() is slow or stopped", find_accept_queue_full},
    FindingKind{"fin_wait2_pile", "many FIN_WAIT2: this side closed, the peers never did", find_fin_wait2_pile},
    FindingKind{"time_wait_pile", "many TIME_WAIT: an active closer of many short connections", find_time_wait_pile},
    FindingKind{"syn_backlog", "many SYN_RECV: handshakes that do not complete", find_syn_backlog},
    FindingKind{"orphans", "many closed sockets still sending their FIN (LAST_ACK, FIN_WAIT1, CLOSING)",
                find_orphans},
    FindingKind{"reset_storm", "connections aborted with resets, many per second", find_reset_storm},
};

}  // namespace

std::span<const FindingKind> finding_kinds() { return kKinds; }

std::vector<Finding> explain(const ExplainInput& input) {
  std::vector<Finding> out;
  for (const FindingKind& kind : kKinds) kind.rule(input, out);
  return out;
}

std::uint64_t count_of(const StateCounts& states, TcpState state) {
  auto it = states.find(state);
  return it == states.end() ? 0 : it->second;
}

const ProcessSockets* process_in(const Snapshot* snapshot, pid_t pid) {
  if (!snapshot) return nullptr;
  for (const ProcessSockets& p : snapshot->processes)
    if (p.pid == pid) return &p;
  return nullptr;
}

std::string process_text(const ProcessSockets& p) { return p.comm + " " + std::to_string(p.pid) + ": " + p.cmdline; }

std::optional<std::int64_t> counter_increase(const ExplainInput& input, const std::string& name) {
  if (!input.before) return std::nullopt;
  auto now = input.now.counters.find(name);
  auto then = input.before->counters.find(name);
  if (now == input.now.counters.end() || then == input.before->counters.end()) return std::nullopt;
  return now->second - then->second;
}

std::string sysctl_or(const Snapshot& s, const std::string& name, const std::string& fallback) {
  auto it = s.sysctls.find(name);
  return it == s.sysctls.end() ? fallback : it->second;
}

std::optional<std::string> counter_evidence(const ExplainInput& input, const std::string& name) {
  auto it = input.now.counters.find(name);
  if (it == input.now.counters.end()) return std::nullopt;
  const std::string shortname = name.starts_with("TcpExt") ? name.substr(6) : name.substr(3);
  std::string out = shortname + " " + std::to_string(it->second) + " since the namespace began";
  if (auto rise = counter_increase(input, name)) out += ", +" + std::to_string(*rise) + " " + interval_text(input);
  return out;
}

std::string interval_text(const ExplainInput& input) {
  if (!input.before) return "";
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << "in " << (input.now.taken_at_ms - input.before->taken_at_ms) / 1000.0 << " s";
  return out.str();
}

}  // namespace sockdrill::field
