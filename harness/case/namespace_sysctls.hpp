// Which net.* sysctls a case's own network namespace can set: not every one the host has.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace sockdrill {

enum class SysctlPlace {
  settable,     // a file a fresh network namespace may write
  read_only,    // present in a namespace, but global (net.core.rmem_max): only the host sets it
  host_only,    // only the host's namespace has it (net.core.bpf_jit_enable)
  missing,      // this kernel has no such sysctl at all
  group,        // a folder of sysctls, not one
};

// Looks each name up ("net.ipv4.tcp_fin_timeout") as a case's namespace would see it: in a
// fresh network namespace (through a user namespace when not root), made in a child process
// so this one's stays as it was. Where no namespace can be made, the host's view is used.
// Results are kept for the life of the process.
std::map<std::string, SysctlPlace> sysctl_places(const std::vector<std::string>& names);

}  // namespace sockdrill
