// Which cases load the whole machine, so that a parallel run gives them the machine alone.
#pragma once
#include "harness/case/case_model.hpp"

namespace sockdrill {

// Cases past these open so many connections or processes that a case beside them could miss
// its kernel timers' windows (and they could miss theirs): cases/scale/ is the example.
inline constexpr int kHeavyConnections = 500;
inline constexpr std::size_t kHeavyPeers = 50;

// True when `spec` opens kHeavyConnections connections or more, or has kHeavyPeers peers or
// more: `--jobs` then runs it with no other case beside it.
bool runs_alone(const CaseSpec& spec);

}  // namespace sockdrill
