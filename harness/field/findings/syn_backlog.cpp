// syn_backlog: many SYN_RECV: handshakes that do not complete.
#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {

void find_syn_backlog(const ExplainInput& in, std::vector<Finding>& out) {
  const std::uint64_t total = count_of(in.now.states, TcpState::SYN_RECV);
  if (total < in.limits.pile) return;
  Finding f;
  f.kind = "syn_backlog";
  f.process = "no process: handshakes the kernel answers for the listeners";
  f.count = total;
  f.evidence.push_back(thousands(total) + " handshakes in SYN_RECV: SYN-ACK sent, the client's ACK not come");
  int shown = 0;
  for (const SocketGroup& g : in.now.orphans.groups)
    if (g.state == TcpState::SYN_RECV && shown++ < 3) f.evidence.push_back(group_text(g));
  for (const char* name : {"TcpExtSyncookiesSent", "TcpExtListenDrops"})
    if (auto line = counter_evidence(in, name)) f.evidence.push_back(*line);
  f.kernel_will = "resend each SYN-ACK up to tcp_synack_retries (" +
                  sysctl_or(in.now, "net.ipv4.tcp_synack_retries", "?") +
                  ") times, then drop it; answer with SYN cookies when the queue overflows (tcp_syncookies = " +
                  sysctl_or(in.now, "net.ipv4.tcp_syncookies", "?") + ")";
  f.kernel_will_not = "tell the program: these connections never reach accept()";
  f.example_case = "cases/syn/syn_dropped.json";
  out.push_back(std::move(f));
}

}  // namespace sockdrill::field
