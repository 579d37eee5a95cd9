// time_wait_pile: many TIME_WAIT: an active closer of many short connections.
#include <cstdlib>

#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {

void find_time_wait_pile(const ExplainInput& in, std::vector<Finding>& out) {
  const std::uint64_t total = count_of(in.now.states, TcpState::TIME_WAIT);
  if (total < in.limits.pile) return;
  const std::string range = sysctl_or(in.now, "net.ipv4.ip_local_port_range", "32768 60999");
  char* end = nullptr;
  const long low = std::strtol(range.c_str(), &end, 10);
  const long high = std::strtol(end, nullptr, 10);
  const long ports = high >= low ? high - low + 1 : 0;
  Finding f;
  f.kind = "time_wait_pile";
  f.process = "no process: sockets already closed by this side";
  f.count = total;
  f.evidence.push_back(thousands(total) + " sockets in TIME_WAIT: this side closed first (the active closer) and "
                       "waits out stray segments");
  int shown = 0;
  for (const SocketGroup& g : in.now.orphans.groups) {
    if (g.state != TcpState::TIME_WAIT || shown++ >= 3) continue;
    std::string line = group_text(g);
    if (g.local.ends_with(":*") && ports > 0)  // outgoing: each holds one port toward that peer
      line += " (" + std::to_string(g.count * 100 / static_cast<std::uint64_t>(ports)) + "% of the " +
              thousands(static_cast<std::uint64_t>(ports)) + " ports of ip_local_port_range " + range + ")";
    f.evidence.push_back(line);
  }
  f.kernel_will = "free each after 60 s (fixed in Linux; not tcp_fin_timeout); with tcp_tw_reuse (" +
                  sysctl_or(in.now, "net.ipv4.tcp_tw_reuse", "?") +
                  ") let new outgoing connections reuse their ports; past tcp_max_tw_buckets (" +
                  sysctl_or(in.now, "net.ipv4.tcp_max_tw_buckets", "?") + ") close new ones at once";
  f.kernel_will_not = "shorten TIME_WAIT: when an outgoing peer's ports run out, connect() fails with EADDRNOTAVAIL";
  f.example_case = "cases/time_wait/clean_close.json";
  out.push_back(std::move(f));
}

}  // namespace sockdrill::field
