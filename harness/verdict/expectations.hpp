// Decides each expectation of a case from the observations, one observation at a time.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "harness/case/case_model.hpp"

namespace sockdrill {

// One event as recorded by the runner (from a peer's line, or an `exit` of a peer process).
struct RecordedEvent {
  int peer = -1;
  std::int64_t t_us = 0;  // microseconds since t = 0 (may be negative: before t = 0)
  std::string kind;
  std::string errno_name;  // "" when none
  std::optional<int> code; // exit status for `exit`
  std::int64_t bytes = 0;  // for sent/received
  int conn = -1;
  int step = -1;
  std::string local, remote, detail;
};

// Socket counts at one observation: sockets[peer][state slot].
struct Observation {
  std::int64_t t_us = 0;  // microseconds since t = 0
  std::vector<std::array<std::int64_t, kTcpStateSlots>> sockets;
};

struct ExpectationResult {
  enum Status { pending, pass, fail } status = pending;
  std::int64_t decided_at_us = -1;
  std::string message;  // for fail: expected vs seen; for pass: a short "held at 12 ms"
  Json observed;        // the values seen in its window: [[t_ms, value], ...] at each change,
                        // plus "last_sample" and the relevant events for a failure
};

class ExpectationEngine {
 public:
  ExpectationEngine(const CaseSpec& spec);

  // Feeds one observation. `events` holds every event received so far (any order); only those
  // with t_us <= obs.t_us count. Observations come in increasing t_us.
  void observe(const Observation& obs, const std::vector<RecordedEvent>& events);

  bool all_decided() const;
  // Times (ms since t = 0) at which an observation must be taken so every window is sampled:
  // each from_ms, and just before each by_ms and until_ms.
  std::vector<std::int64_t> boundary_times_ms() const;
  // The union of the states that sockets expectations ask for (bits of tcp_state_bit).
  std::uint32_t needed_state_mask() const;

  // Marks every undecided expectation failed because the case ended first (time limit, error).
  void finish_undecided(const std::string& why, std::int64_t t_us);
  const std::vector<ExpectationResult>& results() const { return results_; }

 private:
  const CaseSpec& spec_;
  std::vector<ExpectationResult> results_;
  struct Track;  // per-expectation window bookkeeping (defined in the .cpp)
  std::vector<std::shared_ptr<Track>> tracks_;
};

}  // namespace sockdrill
