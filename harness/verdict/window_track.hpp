// One expectation's window: which observations fall inside it, and what they showed.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/case/case_model.hpp"

namespace sockdrill {

// An observation's reads took time, so it is an interval [begin, end] (microseconds since
// t = 0), not an instant. An observation counts for a window only when the whole interval lies
// inside it: then every value read is known to belong to the window. One that straddles a bound
// decides nothing. Events and bytes are exact (stamped by the peer), so their selectors use
// the interval's end alone.
struct Interval {
  std::int64_t begin_us = 0;
  std::int64_t end_us = 0;
};

class WindowTrack {
 public:
  explicit WindowTrack(const Expectation& spec) : spec(spec) {}

  const Expectation spec;
  int peer = -1;                     // -1 for packets selectors
  std::int64_t matching_events = 0;  // events selector: the count so far

  bool eventually() const { return spec.by_ms.has_value(); }
  std::int64_t window_start_us() const { return eventually() ? 0 : *spec.from_ms * 1000; }
  std::int64_t window_end_us() const {
    return (eventually() ? *spec.by_ms : *spec.until_ms) * 1000;
  }
  // The interval this selector reads an observation as.
  Interval reading(std::int64_t begin_us, std::int64_t end_us) const;
  bool inside(Interval r) const { return r.begin_us >= window_start_us() && r.end_us <= window_end_us(); }
  bool past(Interval r) const { return r.begin_us > window_end_us(); }

  // Every observation from t = 0 on, as changes (for "observed").
  void record(std::int64_t t_us, std::int64_t value);
  // An observation inside the window.
  void record_in_window(std::int64_t t_us, std::int64_t value);

  std::int64_t window_count() const { return window_count_; }
  std::int64_t window_first_us() const { return window_first_us_; }
  std::int64_t window_last_us() const { return window_last_us_; }
  bool window_constant() const { return window_changes_.size() == 1 && window_changes_omitted_ == 0; }
  std::int64_t window_first_value() const { return window_changes_.front().second; }
  // "saw 0 at every observation from 0 to 1000 ms (203 observations)" or the list of changes.
  std::string window_seen_text() const;

  const std::vector<std::pair<std::int64_t, std::int64_t>>& values() const { return values_; }
  std::int64_t values_omitted() const { return values_omitted_; }
  const std::optional<std::pair<std::int64_t, std::int64_t>>& latest() const { return latest_; }

 private:
  std::vector<std::pair<std::int64_t, std::int64_t>> values_;  // (t_us, value) at changes
  std::int64_t values_omitted_ = 0;
  std::optional<std::pair<std::int64_t, std::int64_t>> latest_;
  std::int64_t window_count_ = 0;
  std::int64_t window_first_us_ = 0, window_last_us_ = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> window_changes_;
  std::int64_t window_changes_omitted_ = 0;
};

}  // namespace sockdrill
