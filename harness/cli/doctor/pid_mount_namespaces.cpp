// Doctor probe: does a case get PID and mount namespaces (its own PID 1 and /proc)?
#include <unistd.h>

#include "harness/cli/doctor/probe.hpp"

namespace sockdrill::doctor {

ProbeResult probe_pid_mount_namespaces(const ProbeContext&) {
  return in_case_namespaces([](const IsolationInfo& info) {
    if (!info.pid_namespace)
      return ProbeResult{false, "the kernel refused CLONE_NEWPID | CLONE_NEWNS (some containers do)"};
    if (::getpid() != 1) return ProbeResult{false, "made, but the runner is not PID 1 in it"};
    return ProbeResult{true, "made: the runner is PID 1 and /proc shows only the case"};
  });
}

}  // namespace sockdrill::doctor
