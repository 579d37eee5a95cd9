// Which cases load the whole machine, so that a parallel run gives them the machine alone.
#include "harness/cli/case_weight.hpp"

namespace sockdrill {

bool runs_alone(const CaseSpec& spec) {
  long connections = 0;
  for (const PeerSpec& p : spec.peers)
    if (p.connect) connections += p.connect->count;
  return connections >= kHeavyConnections || spec.peers.size() >= kHeavyPeers;
}

}  // namespace sockdrill
