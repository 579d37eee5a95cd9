// Decides each expectation of a case from the observations, one observation at a time.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "harness/case/case_model.hpp"
#include "harness/verdict/recorded_event.hpp"
#include "reports/record.hpp"

namespace sockdrill {

// What the kernel showed at one observation: socket counts per peer and state, and packet
// counts. The reads took time: they were made between begin_us and end_us (microseconds since
// t = 0), and every expectation uses the bound that is safe for it (see window_track.hpp).
// Events are counted up to end_us.
struct Observation {
  std::int64_t begin_us = 0;
  std::int64_t end_us = 0;
  // sockets[peer][state slot] (slot = kernel state number); peers missing at the end of the
  // vector count as having no sockets.
  std::vector<std::array<std::int64_t, kTcpStateSlots>> sockets;
  // Packet counts so far for `packets` expectations, indexed like CaseSpec::expect (-1 or
  // absent for the others).
  std::vector<std::int64_t> packets;
  // What the runner counted itself for `counter` expectations (the increase since t = 0) and
  // `sockets` expectations with a recv_q or send_q range, indexed like CaseSpec::expect (-1 or
  // absent: not counted in this observation, which then decides nothing for them).
  std::vector<std::int64_t> counted;
};

struct ExpectationResult {
  // undecided: the case ended, or no observation could decide it (a window between two
  // observations): never the program's pass or fail.
  enum Status { pending, pass, fail, undecided } status = pending;
  std::int64_t decided_at_us = -1;
  std::string message;  // fail: expected vs seen; pass: "held at 12 ms"; undecided: why
  // Set when decided: the values seen (first observation, every change, and the deciding one;
  // capped), the peer's last sample and, for events and bytes selectors, its events so far.
  reports::ObservedRecord observed;
};

// The expectation as a reader sees it: `sockets of peer "client" in CLOSE_WAIT: count 1 by
// 1000 ms`. Every failure message starts with "expected " and this.
std::string describe_expectation(const Expectation& e);
// Whether the runner counts this selector's value into Observation::counted (counter, and
// sockets with a recv_q or send_q range) rather than the engine from the state counts.
bool counted_by_runner(const Selector& s);
// The same in a few words, for a test's name: `server CLOSE_WAIT count 1 by 1000 ms`,
// `client error ECONNRESET count >= 1 300..1400 ms`, `packets from server to client fin count <= 4 0..2250 ms`.
std::string expectation_title(const Expectation& e);

class ExpectationEngine {
 public:
  // Copies what it needs from `spec`; the spec need not outlive the engine. Throws
  // std::invalid_argument when an expectation names a peer the case does not have, has no
  // window or no bound on its count (the checker refuses such cases: a harness bug).
  explicit ExpectationEngine(const CaseSpec& spec);
  ~ExpectationEngine();
  ExpectationEngine(const ExpectationEngine&) = delete;
  ExpectationEngine& operator=(const ExpectationEngine&) = delete;

  // Feeds one observation and the events received since the previous call: each event is handed
  // over exactly once, in any order. Events with t_us <= obs.end_us count from this observation
  // on ("events so far"); later ones wait inside until an observation reaches their time. The
  // caller hands over every event stamped up to obs.end_us before this call (the runner's
  // watermark); an event stamped at or before an observation already made is late: it counts
  // from the next observation on, and late_events() counts it.
  // Observations come in non-decreasing end_us (a decrease throws std::invalid_argument);
  // observations that began before t = 0 only take in events, they decide nothing.
  void observe(const Observation& obs, std::span<const RecordedEvent> new_events);

  bool all_decided() const;
  // Times (ms since t = 0) at which an observation should start so that every window gets one
  // inside it and is decided promptly after it: each from_ms, until_ms - 1, until_ms, by_ms - 1
  // and by_ms (clamped at >= 0); sorted, unique.
  std::vector<std::int64_t> boundary_times_ms() const;
  // The union of the states that sockets expectations ask for (bits of tcp_state_bit); 0 if none.
  std::uint32_t needed_state_mask() const;
  // Events handed over after an observation at or past their time had been made.
  std::int64_t late_events() const;

  // Every expectation still pending becomes undecided because the case ended first; `why` is
  // put in the message as is, e.g. "the case reached its time limit (10000 ms)". Events handed
  // over with t_us <= `t_us` are shown in the messages (they decide nothing now).
  void finish_undecided(const std::string& why, std::int64_t t_us);
  const std::vector<ExpectationResult>& results() const { return results_; }

 private:
  struct Track;  // per-expectation window bookkeeping (window_track.hpp)
  struct State;  // events so far, byte sums, the latest sample

  void count_events_up_to(std::int64_t t_us);
  void decide_exact_bounds_before(std::int64_t end_us);
  // `last_read`: the latest read of the kernel, shown in messages (obs itself, unless it is an
  // instant at which only events are known).
  void decide(std::size_t i, const Observation& obs, const Observation* last_read);

  std::vector<ExpectationResult> results_;
  std::vector<std::unique_ptr<Track>> tracks_;
  std::unique_ptr<State> state_;
};

}  // namespace sockdrill
