// The case's timeline in action: cues, kills, packet faults and toxic changes at their times.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>

#include "common/json.hpp"
#include "harness/case/case_model.hpp"
#include "harness/faults/fault_plan.hpp"
#include "harness/run/case_clock.hpp"
#include "harness/run/error_latch.hpp"
#include "harness/run/peer_supervisor.hpp"
#include "harness/run/peer_table.hpp"
#include "reports/record.hpp"

namespace sockdrill {

class TimelinePlayer {
 public:
  TimelinePlayer(const CaseSpec& spec, PeerTable& peers, PeerSupervisor& supervisor,
                 FaultPlan& faults, const CaseClock& clock, ErrorLatch& errors,
                 std::function<WireView()> wire);

  // Runs every entry due at `now_ms` (ms since t = 0) that has not run yet, in timeline order.
  void play_until(std::int64_t now_ms);
  // When the next entry is due; nullopt when none is left.
  std::optional<std::int64_t> next_ms() const;
  // What the runner did, for the report.
  void note(reports::TimelineNote entry) { notes_.push_back(std::move(entry)); }
  const std::vector<reports::TimelineNote>& notes() const { return notes_; }

 private:
  void play(const TimelineEntry& e);

  const CaseSpec& spec_;
  PeerTable& peers_;
  PeerSupervisor& supervisor_;
  FaultPlan& faults_;
  const CaseClock& clock_;
  ErrorLatch& errors_;
  std::function<WireView()> wire_;
  std::size_t next_ = 0;
  std::vector<reports::TimelineNote> notes_;
};

}  // namespace sockdrill
