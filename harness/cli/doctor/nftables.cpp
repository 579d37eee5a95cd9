// Doctor probe: can the case's namespace hold sockdrill's nftables table (faults and counters)?
#include "harness/cli/doctor/probe.hpp"
#include "harness/faults/nft_session.hpp"

namespace sockdrill::doctor {

ProbeResult probe_nftables(const ProbeContext&) {
  return in_case_namespaces([](const IsolationInfo&) {
    NftSession session;  // throws NftUnavailable, as it does for a case
    return ProbeResult{true, "table inet sockdrill made in a case's namespace"};
  });
}

}  // namespace sockdrill::doctor
