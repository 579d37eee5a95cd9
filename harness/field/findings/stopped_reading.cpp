// stopped_reading: data waits unread in ESTABLISHED or CLOSE_WAIT sockets of a live process.
#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {

void find_stopped_reading(const ExplainInput& in, std::vector<Finding>& out) {
  for (const ProcessSockets& p : in.now.processes) {
    std::uint64_t sockets = 0, bytes = 0;
    std::uint32_t longest_ms = 0;
    std::vector<const SocketGroup*> groups;
    for (const SocketGroup& g : p.groups) {
      if (g.state != TcpState::ESTABLISHED && g.state != TcpState::CLOSE_WAIT) continue;
      if (!g.unread_for_ms_max || *g.unread_for_ms_max < in.limits.min_age_ms) continue;
      sockets += g.with_unread;
      bytes += g.recv_q;
      longest_ms = std::max(longest_ms, *g.unread_for_ms_max);
      groups.push_back(&g);
    }
    if (sockets == 0) continue;
    Finding f;
    f.kind = "stopped_reading";
    f.pid = p.pid;
    f.process = process_text(p);
    f.count = sockets;
    f.evidence.push_back(thousands(bytes) + " bytes unread in " + thousands(sockets) + " sockets of " + p.comm + " " +
                         std::to_string(p.pid) + " (groups where data waited at least " +
                         thousands(in.limits.min_age_ms) + " ms)");
    f.evidence.push_back("data has waited unread for up to " + thousands(longest_ms / 1000) + " s");
    for (std::size_t i = 0; i < groups.size() && i < 3; ++i) f.evidence.push_back(group_text(*groups[i]));
    f.kernel_will =
        "reset each of these connections when it is closed with data unread (RST, not FIN: the peer "
        "gets ECONNRESET and may lose what it sent last); keep closing the window as the queue fills";
    f.kernel_will_not = "drop the data or tell the program: it waits in the receive queue until read";
    f.example_case = "cases/reset/unread_data.json";
    out.push_back(std::move(f));
  }
}

}  // namespace sockdrill::field
