// reset_storm: the namespace's abort counters rose fast between two snapshots.
#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {

void find_reset_storm(const ExplainInput& in, std::vector<Finding>& out) {
  if (!in.before) return;  // a rise needs two snapshots
  static constexpr std::pair<const char*, const char*> kAborts[] = {
      {"TcpExtTCPAbortOnClose", "closed with data unread"},
      {"TcpExtTCPAbortOnData", "closed with SO_LINGER 0, or data came after close"},
      {"TcpExtTCPAbortOnTimeout", "retransmissions or keepalive probes ran out"},
      {"TcpExtTCPAbortOnLinger", "FIN_WAIT2 linger ended"},
      {"TcpExtTCPAbortOnMemory", "out of socket memory or past tcp_max_orphans"},
  };
  std::int64_t total = 0;
  std::vector<std::string> lines;
  for (auto& [name, meaning] : kAborts) {
    const auto rise = counter_increase(in, name);
    if (!rise || *rise <= 0) continue;
    total += *rise;
    lines.push_back(std::string(name).substr(6) + " +" + thousands(static_cast<std::uint64_t>(*rise)) + ": " + meaning);
  }
  if (total < static_cast<std::int64_t>(in.limits.resets)) return;
  Finding f;
  f.kind = "reset_storm";
  f.process = "the namespace's counters (no process named)";
  f.count = static_cast<std::uint64_t>(total);
  f.evidence.push_back(thousands(static_cast<std::uint64_t>(total)) + " connections aborted with a reset " + interval_text(in));
  for (std::string& line : lines) f.evidence.push_back(std::move(line));
  if (auto rst = counter_increase(in, "TcpOutRsts"))
    f.evidence.push_back("resets sent +" + std::to_string(*rst) + " " + interval_text(in));
  f.kernel_will = "send a reset for each, freeing the socket at once (the peer sees ECONNRESET)";
  f.kernel_will_not = "say which program closed them so: look for closes with unread data or SO_LINGER 0";
  f.example_case = "cases/reset/unread_data.json";
  out.push_back(std::move(f));
}

}  // namespace sockdrill::field
