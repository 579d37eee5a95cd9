// The runner's report of one case: everything that happened, as one JSON document.
#pragma once
#include <cstdint>
#include <string>

#include "common/json.hpp"
#include "harness/case/case_model.hpp"
#include "harness/run/case_clock.hpp"
#include "harness/run/case_outcome.hpp"
#include "harness/run/event_log.hpp"
#include "harness/run/isolation.hpp"
#include "harness/run/peer_supervisor.hpp"
#include "harness/run/peer_table.hpp"
#include "harness/verdict/expectations.hpp"

namespace sockdrill {

struct CaseReportInput {
  const CaseSpec& spec;
  std::string display_name;
  const IsolationInfo& isolation;
  const CaseClock& clock;
  std::int64_t end_ns = 0;
  std::uint64_t seed = 0;
  CaseOutcome outcome;
  PeerTable& peers;
  const std::vector<CommandFailure>& command_failures;
  const std::vector<ExpectationResult>& results;
  std::int64_t late_events = 0;
  const EventLog& events;
  const Json& timeline_notes;
  std::string nftables;
  const Json& samples;
  std::int64_t observations = 0;
  std::vector<std::string> warnings;
};

// {"name","file","verdict","reason_code","reason","duration_ms","seed","kernel","sysctl",
// "isolation","sample_ms","observations","late_events","peers","command_failures",
// "expectations","events","timeline","nftables","samples","warnings"}.
Json case_report(const CaseReportInput& in);

// A program's output as valid UTF-8 (the report is JSON): bytes that do not form a UTF-8
// sequence (binary output, or a character cut by the output cap) become U+FFFD.
std::string valid_utf8(const std::string& in);

}  // namespace sockdrill
