// `sockdrill watch`: snapshots at an interval, what grows per process and state, and a
// recording (sockdrill-watch/1) that the HTML report draws as a timeline.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "harness/field/snapshot.hpp"
#include "reports/record.hpp"

namespace sockdrill::field {

// One sample: socket counts per holder ("python3 8245", "(no process)", "(not attributed)") and
// state, and the counters that move with the incidents explain knows.
struct WatchSample {
  std::int64_t t_ms = 0;  // since the first sample
  std::map<std::string, StateCounts> holders;
  std::map<std::string, std::int64_t> counters;
};

struct Recording {
  std::string format = "sockdrill-watch/1";
  // How transitions were seen: "sampling" (a snapshot each interval: a socket that came and went
  // between two is not seen), with why exact transitions were not used.
  std::string mode = "sampling";
  std::string mode_reason;
  std::int64_t started_at_ms = 0;  // Unix time of the first sample
  std::uint32_t interval_ms = 0;
  std::string host, kernel, netns;
  std::vector<WatchSample> samples;
};

// The sample a snapshot gives, `t_ms` after the first.
WatchSample watch_sample(const Snapshot& snapshot, std::int64_t t_ms);

// Lines for what changed from `before` to `now`: "+3 CLOSE_WAIT python3 8245 (303)".
std::vector<std::string> changes(const WatchSample& before, const WatchSample& now);
// Per holder and state, from the first sample to the last: first, last, and the rate per minute,
// largest growth first; "" when nothing changed.
std::string growth_text(const Recording& recording);

Json recording_json(const Recording& recording);
// The recording as one run of one case with samples and no expectations (verdict skip: nothing is
// judged), for the HTML and trace writers.
reports::RunRecord recording_as_run(const Recording& recording);

}  // namespace sockdrill::field
