// fin_wait2_pile: many FIN_WAIT2: this side closed (or shut down writing), the peers never did.
#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {

void find_fin_wait2_pile(const ExplainInput& in, std::vector<Finding>& out) {
  const std::uint64_t total = count_of(in.now.states, TcpState::FIN_WAIT2);
  if (total < in.limits.pile) return;
  const std::uint64_t orphaned = count_of(in.now.orphans.states, TcpState::FIN_WAIT2);
  const std::string fin_timeout = sysctl_or(in.now, "net.ipv4.tcp_fin_timeout", "60");
  Finding f;
  f.kind = "fin_wait2_pile";
  f.count = total;
  f.process = orphaned == total ? "no process: sockets already closed" : "";
  const ProcessSockets* holder = nullptr;
  for (const ProcessSockets& p : in.now.processes)
    if (count_of(p.states, TcpState::FIN_WAIT2) > 0 && (!holder || count_of(p.states, TcpState::FIN_WAIT2) > count_of(holder->states, TcpState::FIN_WAIT2)))
      holder = &p;
  if (orphaned < total && holder) {
    f.pid = holder->pid;
    f.process = process_text(*holder);
  }
  f.evidence.push_back(thousands(total) + " sockets in FIN_WAIT2: this side sent its FIN and the peer acknowledged it, "
                       "but the peer never sent its own");
  f.evidence.push_back(thousands(orphaned) + " of them closed (no process): each ends after tcp_fin_timeout = " +
                       fin_timeout + " s");
  if (orphaned < total)
    f.evidence.push_back(thousands(total - orphaned) + " still held by a process (shutdown() without close()): no timeout ends those");
  int shown = 0;
  for (const SocketGroup& g : in.now.orphans.groups)
    if (g.state == TcpState::FIN_WAIT2 && shown++ < 3) f.evidence.push_back(group_text(g));
  f.kernel_will = "end each closed FIN_WAIT2 socket after tcp_fin_timeout (" + fin_timeout +
                  " s) or its TCP_LINGER2; the peers' side stays in CLOSE_WAIT until their programs close";
  f.kernel_will_not = "end a FIN_WAIT2 socket a process still holds, nor make the peers close";
  f.example_case = "cases/fin_wait/linger2.json";
  out.push_back(std::move(f));
}

}  // namespace sockdrill::field
