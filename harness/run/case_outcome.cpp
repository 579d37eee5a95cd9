// A case's outcome from what happened: pass, fail, error with its reason code, or skip.
#include "harness/run/case_outcome.hpp"

#include <algorithm>

namespace sockdrill {

CaseOutcome decide_outcome(const ErrorLatch& errors, const std::vector<ExpectationResult>& results,
                           const std::vector<CommandFailure>& failures) {
  const ErrorCode code = errors.code();
  const bool decisive_error = code == ErrorCode::harness || code == ErrorCode::peer_died ||
                              code == ErrorCode::limit || code == ErrorCode::interrupted;
  if (decisive_error) return {"error", error_code_name(code), errors.reason()};
  const bool failed = !failures.empty() || std::any_of(results.begin(), results.end(), [](auto& r) {
    return r.status == ExpectationResult::fail;
  });
  if (failed) return {"fail", "", ""};
  if (errors.raised()) return {"error", error_code_name(code), errors.reason()};
  const auto undecided = std::count_if(results.begin(), results.end(), [](auto& r) {
    return r.status != ExpectationResult::pass;
  });
  if (undecided > 0)
    return {"error", error_code_name(ErrorCode::unresolved),
            std::to_string(undecided) + (undecided == 1 ? " expectation" : " expectations") +
                " could not be decided from the observations the harness could take (see below)"};
  return {"pass", "", ""};
}

}  // namespace sockdrill
