// Which cases run more than once (--repeat) changed outcome between their runs.
#pragma once
#include <vector>

#include "reports/record.hpp"

namespace sockdrill::reports {

// The cases of `runs` (a case's runs share its name) with more than one outcome; an outcome
// is the verdict and its reason code (two failures with other numbers are one outcome). In
// the order the cases first appear. A run interrupted by a signal is left out.
std::vector<FlakyCase> flaky_cases(const std::vector<CaseRecord>& runs);

}  // namespace sockdrill::reports
