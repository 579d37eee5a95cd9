// Doctor probe: does a case get a network namespace with loopback up (every case needs one)?
#include "harness/cli/doctor/probe.hpp"

namespace sockdrill::doctor {

ProbeResult probe_network_namespace(const ProbeContext&) {
  return in_case_namespaces([](const IsolationInfo& info) {
    return ProbeResult{true, "made, loopback up (" + info.describe() + ")"};
  });
}

}  // namespace sockdrill::doctor
