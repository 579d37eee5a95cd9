// Every event of the case as the runner received it, stamped relative to t = 0.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "harness/run/case_clock.hpp"
#include "harness/verdict/expectations.hpp"

namespace sockdrill {

class EventLog {
 public:
  explicit EventLog(const CaseClock& clock) : clock_(clock) {}

  // An event stamped `t_ns` (CLOCK_MONOTONIC). Before t = 0 it is kept aside until t0_given().
  void add(RecordedEvent e, std::int64_t t_ns);
  // t = 0 was given: the events so far get their times relative to it (negative) and are new.
  void t0_given();
  // The events received since the last call, for the expectation engine.
  std::vector<RecordedEvent> take_new();
  // Every event, in time order (before t = 0 was ever given: relative to the run's start).
  std::vector<RecordedEvent> all() const;

 private:
  const CaseClock& clock_;
  std::vector<std::pair<std::int64_t, RecordedEvent>> before_t0_;  // raw stamps
  std::vector<RecordedEvent> events_;
  std::size_t handed_over_ = 0;  // events_[0, handed_over_) went to take_new() already
};

}  // namespace sockdrill
