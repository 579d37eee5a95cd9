// The case's time: when the run began, when t = 0 was given, and times relative to them.
#pragma once
#include <cstdint>

#include "common/clock.hpp"

namespace sockdrill {

inline constexpr std::int64_t kNsPerMs = 1'000'000;

// Everything is on CLOCK_MONOTONIC, the same in every namespace of the machine, so the stamps
// peers put on their events compare with the runner's own.
class CaseClock {
 public:
  CaseClock() : run_start_ns_(monotonic_ns()) {}

  void give_t0() {
    t0_ns_ = monotonic_ns();
    started_ = true;
  }
  bool t0_given() const { return started_; }
  std::int64_t t0_ns() const { return t0_ns_; }
  std::int64_t run_start_ns() const { return run_start_ns_; }

  // Microseconds since t = 0 (before t = 0 is given: since the run began, negative never).
  std::int64_t rel_us(std::int64_t t_ns) const {
    return (t_ns - (started_ ? t0_ns_ : run_start_ns_)) / 1000;
  }
  std::int64_t now_us() const { return rel_us(monotonic_ns()); }
  std::int64_t now_ms() const { return now_us() / 1000; }
  // The monotonic time of `ms` after t = 0.
  std::int64_t at_ns(std::int64_t ms) const { return t0_ns_ + ms * kNsPerMs; }

 private:
  std::int64_t run_start_ns_;
  std::int64_t t0_ns_ = 0;
  bool started_ = false;
};

}  // namespace sockdrill
