// A case's outcome from what happened: pass, fail, error with its reason code, or skip.
#pragma once
#include <string>
#include <vector>

#include "harness/run/error_latch.hpp"
#include "harness/run/peer_supervisor.hpp"
#include "harness/verdict/expectations.hpp"

namespace sockdrill {

struct CaseOutcome {
  std::string verdict;  // "pass" "fail" "error" "skip"
  std::string code;     // for error and skip: why (ErrorCode's name, or the missing mechanism)
  std::string reason;   // the sentence shown
};

// An error that may have caused what followed (the harness, a peer, a limit, an interruption)
// comes first; then the program's own failures (an expectation or an exit status); then what
// the harness could not decide (its time limit, a window no observation fell in); else pass.
CaseOutcome decide_outcome(const ErrorLatch& errors, const std::vector<ExpectationResult>& results,
                           const std::vector<CommandFailure>& failures);

}  // namespace sockdrill
