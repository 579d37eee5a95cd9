// orphans: many closed sockets still sending or waiting on their FIN (no process holds them).
#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {

void find_orphans(const ExplainInput& in, std::vector<Finding>& out) {
  const StateCounts& o = in.now.orphans.states;
  const std::uint64_t total =
      count_of(o, TcpState::LAST_ACK) + count_of(o, TcpState::FIN_WAIT1) + count_of(o, TcpState::CLOSING);
  if (total < in.limits.pile) return;
  Finding f;
  f.kind = "orphans";
  f.process = "no process: sockets already closed";
  f.count = total;
  f.evidence.push_back(thousands(total) + " closed sockets whose FIN is not acknowledged (" +
                       thousands(count_of(o, TcpState::LAST_ACK)) + " LAST_ACK, " +
                       thousands(count_of(o, TcpState::FIN_WAIT1)) + " FIN_WAIT1, " +
                       thousands(count_of(o, TcpState::CLOSING)) + " CLOSING): the peers are gone or unreachable");
  f.evidence.push_back("tcp_max_orphans " + sysctl_or(in.now, "net.ipv4.tcp_max_orphans", "?") + " (for the whole host)");
  int shown = 0;
  for (const SocketGroup& g : in.now.orphans.groups)
    if ((g.state == TcpState::LAST_ACK || g.state == TcpState::FIN_WAIT1 || g.state == TcpState::CLOSING) && shown++ < 3)
      f.evidence.push_back(group_text(g));
  f.kernel_will = "retransmit each FIN up to tcp_orphan_retries (" + sysctl_or(in.now, "net.ipv4.tcp_orphan_retries", "?") +
                  "; 0 means 8) times with backoff and then drop the socket; reset orphans at once past tcp_max_orphans";
  f.kernel_will_not = "deliver the data still queued on them once the peer is gone";
  f.example_case = "cases/last_ack/final_ack_lost.json";
  out.push_back(std::move(f));
}

}  // namespace sockdrill::field
