// Doctor probe: does a case's namespace get a TCP hash table of its own (tcp_child_ehash_entries)?
#include <fstream>

#include "harness/cli/doctor/probe.hpp"

namespace sockdrill::doctor {

ProbeResult probe_private_tcp_table(const ProbeContext&) {
  return in_case_namespaces([](const IsolationInfo& info) {
    if (!info.private_tcp_table)
      return ProbeResult{false, "net.ipv4.tcp_child_ehash_entries is absent (Linux before 6.1) or not writable here"};
    // A negative size would mean the namespace still uses the machine's table.
    std::ifstream in("/proc/sys/net/ipv4/tcp_ehash_entries");
    long entries = 0;
    if (in >> entries && entries <= 0)
      return ProbeResult{false, "tcp_child_ehash_entries was set, but the namespace still shares the machine's table"};
    return ProbeResult{true, "the case's namespace has its own table (net.ipv4.tcp_ehash_entries = " +
                                 std::to_string(entries) + ")"};
  });
}

}  // namespace sockdrill::doctor
