// Text several writers share: locale-free numbers and why a case did not pass.
#pragma once
#include <string>
#include <vector>

#include "reports/record.hpp"

namespace sockdrill::reports {

// `value` with exactly `decimals` decimals and a '.', whatever the global locale.
std::string fixed_decimals(double value, int decimals);

// "error (timeout): REASON", "skip (ipv6): REASON", "fail: REASON"; empty when there is
// neither a code nor a reason.
std::string outcome_text(const Outcome& o);

// Why a case did not pass, one line each: its outcome, each command that exited otherwise
// ("FILE: /peers/P/command/exit_code: MESSAGE"), each expectation that failed
// ("FILE:LINE:COL: /pointer: MESSAGE") or is undecided ("...: /pointer: undecided: MESSAGE"),
// and each warning ("warning: ...").
std::vector<std::string> problem_lines(const CaseRecord& c);

}  // namespace sockdrill::reports
