// Observations of the kernel, held until every peer has reported past them, then judged.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

#include "common/json.hpp"
#include "harness/case/case_model.hpp"
#include "harness/faults/fault_plan.hpp"
#include "harness/observe/sampler.hpp"
#include "harness/run/case_clock.hpp"
#include "harness/run/event_log.hpp"
#include "harness/run/peer_table.hpp"
#include "harness/run/runner_counts.hpp"
#include "harness/run/socket_histories.hpp"
#include "harness/verdict/expectations.hpp"
#include "reports/record.hpp"

namespace sockdrill {

class Observations {
 public:
  Observations(const CaseSpec& spec, PeerTable& peers, Sampler& sampler, FaultPlan& faults,
               ExpectationEngine& engine, EventLog& events, const CaseClock& clock,
               const RunnerCounts& counts);

  // Reads the kernel now. The observation waits in a queue until the watermark passes its end:
  // only then is every event stamped before it known. `drain` reads the peers' lines.
  void take(const std::function<void()>& drain);
  // Hands the engine every queued observation that ended before `watermark_ns`, in order.
  void judge_up_to(std::int64_t watermark_ns);
  // The end of the newest queued observation (CLOCK_MONOTONIC), if any is queued.
  std::optional<std::int64_t> newest_queued_end_ns() const;
  // When the last observation began, and how long it took (for scheduling).
  std::int64_t last_begin_ns() const { return last_begin_ns_; }
  std::int64_t last_duration_ns() const { return last_duration_ns_; }
  // How long the last observation spent before its read of the kernel began (scanning command
  // peers' processes): a read meant for an instant is started that much earlier.
  std::int64_t last_lead_ns() const { return last_lead_ns_; }

  std::int64_t taken() const { return taken_; }
  // The report's samples: socket counts per peer, kept when they change.
  const std::vector<reports::SampleRecord>& samples() const { return samples_; }
  // The report's connections: each one's states as the samples saw them.
  const SocketHistories& socket_histories() const { return histories_; }

 private:
  void record_counts(const Sample& s, std::int64_t t_us);

  const CaseSpec& spec_;
  PeerTable& peers_;
  Sampler& sampler_;
  FaultPlan& faults_;
  ExpectationEngine& engine_;
  EventLog& events_;
  const CaseClock& clock_;
  const RunnerCounts& counts_;
  struct Queued {
    Observation obs;
    std::int64_t end_ns;
  };
  std::deque<Queued> queue_;
  std::int64_t taken_ = 0;
  std::int64_t last_begin_ns_ = 0;
  std::int64_t last_duration_ns_ = 0;
  std::int64_t last_lead_ns_ = 0;
  std::vector<reports::SampleRecord> samples_;
  SocketHistories histories_;
};

}  // namespace sockdrill
