// accept_queue_full as a case: a listener that does not accept, more clients than its queue.
#include <algorithm>

#include "harness/field/reproduce/case_parts.hpp"

namespace sockdrill::field {

using namespace reproduce_parts;

Reproduction reproduce_accept_queue_full(const ExplainInput& in, const Finding& f) {
  Reproduction r;
  std::uint32_t backlog = 0;
  std::string port;
  for (const Listener& l : in.now.listeners)
    if (l.accept_queue >= l.backlog && l.accept_queue > 0 &&
        (f.pid == 0 || std::count(l.pids.begin(), l.pids.end(), f.pid)) && l.backlog >= backlog) {
      backlog = l.backlog;
      port = l.local.substr(l.local.rfind(':'));
    }
  if (backlog == 0) backlog = 128;
  const std::uint64_t queued = backlog + 1;  // Linux queues backlog + 1 before it is full
  // Its clients, when they are in the snapshot too: connections to that port from this side.
  std::uint64_t clients_seen = 0;
  for (const ProcessSockets& p : in.now.processes)
    for (const SocketGroup& g : p.groups)
      if ((g.state == TcpState::SYN_SENT || g.state == TcpState::ESTABLISHED) && g.local.ends_with(":*") &&
          !port.empty() && g.remote.ends_with(port))
        clients_seen += g.count;
  std::uint64_t wanted = clients_seen;
  if (clients_seen <= queued) {
    wanted = queued + std::max<std::uint64_t>(queued, 10);
    r.assumptions.push_back("its clients are not in the snapshot: " + std::to_string(wanted) +
                            " of them, twice what the queue holds (at least 10 more)");
  }
  const std::uint64_t n = case_size(wanted, r.assumptions);
  r.assumptions.push_back("the program stopped calling accept() (or is too slow to matter); clients keep their "
                          "connections open");
  const std::int64_t t = settled_ms(n) + 1000;  // SYNs to a full queue are retried after 1 s
  Json peers;
  peers["program"] = python_command(kServerThatNeverAccepts, {std::to_string(backlog)});
  peers["clients"] = {{"connect", {{"to", "program"}, {"count", n}, {"timeout_ms", 60000}}},
                      {"steps", Json::array({{{"hold", Json::object()}}})}};
  Json expect = Json::array({sockets_during("program", "ESTABLISHED", queued, t, t + 1000),
                             sockets_during("program", "LISTEN", 1, t, t + 1000),
                             {{"counter", "TcpExtListenOverflows"}, {"count", {{"min", 1}}}, {"by_ms", t}}});
  const std::string builds = "The case: the program listens with backlog " + std::to_string(backlog) +
                             " and never accepts; " + std::to_string(n) + " clients connect. The kernel queues " +
                             std::to_string(queued) + " connections (backlog + 1) and drops the other handshakes "
                             "(TcpExtListenOverflows rises; those clients wait in SYN_SENT and retry).";
  r.case_json = case_file(f, builds, ProgramSide::server, r.assumptions, {{"net.core.somaxconn", std::max<std::uint32_t>(backlog, 128)},
                             {"net.ipv4.tcp_abort_on_overflow", 0}}, t + 3000, peers, expect);
  return r;
}

}  // namespace sockdrill::field
