// The runner's record of one case: everything that happened, as reports/ keeps it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "harness/case/case_model.hpp"
#include "harness/run/case_clock.hpp"
#include "harness/run/case_outcome.hpp"
#include "harness/run/event_log.hpp"
#include "harness/run/isolation.hpp"
#include "harness/run/peer_supervisor.hpp"
#include "harness/run/peer_table.hpp"
#include "harness/verdict/expectations.hpp"
#include "reports/record.hpp"

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
  const std::vector<reports::TimelineNote>& timeline;
  std::string nftables;
  const std::vector<reports::SampleRecord>& samples;
  std::int64_t observations = 0;
  std::vector<std::string> warnings;
};

reports::CaseRecord case_record(const CaseReportInput& in);

}  // namespace sockdrill
