// Doctor probe: can this user make a user namespace (how sockdrill isolates a case without root)?
#include <sched.h>

#include <cerrno>
#include <cstring>

#include "harness/cli/doctor/probe.hpp"

namespace sockdrill::doctor {

ProbeResult probe_user_namespace(const ProbeContext& ctx) {
  ProbeResult r = in_child([] {
    if (::unshare(CLONE_NEWUSER) == 0) return ProbeResult{true, "unshare(CLONE_NEWUSER) works"};
    return ProbeResult{false, std::string("unshare(CLONE_NEWUSER): ") + std::strerror(errno) +
                                  " (see /proc/sys/user/max_user_namespaces and, on Debian, "
                                  "kernel.unprivileged_userns_clone)"};
  });
  if (ctx.uid == 0) return {true, "not used: sockdrill runs as root (" + r.detail + ")"};
  return r;
}

}  // namespace sockdrill::doctor
