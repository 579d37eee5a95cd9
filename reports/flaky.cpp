// Which cases run more than once (--repeat) changed outcome between their runs.
#include "reports/flaky.hpp"

#include <algorithm>
#include <map>

namespace sockdrill::reports {

std::vector<FlakyCase> flaky_cases(const std::vector<CaseRecord>& runs) {
  std::vector<FlakyCase> seen;  // every case, in order of appearance
  std::map<std::string, std::size_t> index;
  for (const CaseRecord& run : runs) {
    // A run stopped by a signal says nothing about the case.
    if (run.outcome.code == reason_code::interrupted) continue;
    auto [at, added] = index.try_emplace(run.name, seen.size());
    if (added) seen.push_back({run.name, {}});
    std::vector<FlakyOutcome>& outcomes = seen[at->second].outcomes;
    const bool known = std::any_of(outcomes.begin(), outcomes.end(), [&](const FlakyOutcome& o) {
      return o.verdict == run.outcome.verdict && o.code == run.outcome.code;
    });
    if (!known)
      outcomes.push_back({run.outcome.verdict, run.outcome.code, run.attempt.value_or(1), run.seed});
  }
  std::erase_if(seen, [](const FlakyCase& c) { return c.outcomes.size() < 2; });
  return seen;
}

}  // namespace sockdrill::reports
