// accept_queue_full: a listener whose accept queue is at its backlog.
#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {
namespace {

std::string port_of(const std::string& endpoint) { return endpoint.substr(endpoint.rfind(':') + 1); }

// Connections queued on the listener's port whose clients already closed: CLOSE_WAIT that no
// process holds yet (a listener on a wildcard address queues them under the address used).
std::uint64_t dead_in_queue(const Snapshot& s, const std::string& local) {
  std::uint64_t n = 0;
  for (const SocketGroup& g : s.orphans.groups)
    if (g.state == TcpState::CLOSE_WAIT && port_of(g.local) == port_of(local)) n += g.count;
  return n;
}

}  // namespace

void find_accept_queue_full(const ExplainInput& in, std::vector<Finding>& out) {
  for (const Listener& l : in.now.listeners) {
    if (l.accept_queue == 0 || l.accept_queue < l.backlog) continue;
    Finding f;
    f.kind = "accept_queue_full";
    if (!l.pids.empty()) {
      f.pid = l.pids.front();
      const ProcessSockets* p = process_in(&in.now, f.pid);
      f.process = p ? process_text(*p) : std::to_string(f.pid);
    } else {
      f.process = "the listener on " + l.local + " (holder not readable)";
    }
    f.count = l.accept_queue;
    f.evidence.push_back(l.local + ": " + thousands(l.accept_queue) + " connections wait for accept(), backlog " +
                         thousands(l.backlog) + " (somaxconn " + sysctl_or(in.now, "net.core.somaxconn", "?") + ")");
    if (const std::uint64_t dead = dead_in_queue(in.now, l.local))
      f.evidence.push_back(thousands(dead) + " of them are already closed by their clients (CLOSE_WAIT, not yet accepted)");
    if (auto line = counter_evidence(in, "TcpExtListenOverflows")) f.evidence.push_back(*line);
    const std::string abort = sysctl_or(in.now, "net.ipv4.tcp_abort_on_overflow", "0");
    f.kernel_will = abort == "1"
                        ? "reset new connections while the queue is full (tcp_abort_on_overflow = 1)"
                        : "drop new SYNs, and the final ACK of handshakes under way, while the queue is full, "
                          "so clients retry and wait (tcp_abort_on_overflow = 0); hand queued connections over "
                          "when the program calls accept()";
    f.kernel_will_not = "close queued connections whose clients gave up: the program accepts them dead, later";
    f.example_case = "cases/accept_queue/dead_connections.json";
    out.push_back(std::move(f));
  }
}

}  // namespace sockdrill::field
