// What one case becomes in JUnit: its tests, each with a unique name, a result and the why.
#pragma once
#include <string>
#include <vector>

#include "reports/record.hpp"

namespace sockdrill::reports {

struct JunitTest {
  enum class Result { pass, failure, error, skipped };
  std::string name;
  Result result = Result::pass;
  double time_ms = 0;
  std::string message;  // one short line; empty for pass
  std::string details;  // what was expected and seen: the message in full, values, last sample
};

// One test per expectation ("expect[3] server CLOSE_WAIT count 1 1000..2000 ms"; undecided is
// an error: it was not judged), one per command with an exit_code ("command app exit_code 0"),
// and "outcome" when the case ended in error or skip (its reason), or has no other test. A case
// that ended in error or skip before anything was judged is that one test alone. Names are
// unique within the case; the order is the record's.
std::vector<JunitTest> junit_tests(const CaseRecord& c);

}  // namespace sockdrill::reports
