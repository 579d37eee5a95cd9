// The guarded command as guard's child: its end, the signals passed on to it, and ending what
// it left running.
#pragma once
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <vector>

#include "harness/guard/watched_tree.hpp"

namespace sockdrill::guard {

// Milliseconds since the watch began, on the monotonic clock: every time guard reports.
class GuardClock {
 public:
  double now_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

class CommandChild {
 public:
  // `pid` is the started command; `waited` the signals guard blocks and waits for (SIGCHLD,
  // SIGTERM, SIGHUP, SIGINT).
  CommandChild(pid_t pid, const sigset_t& waited, const GuardClock& clock)
      : pid_(pid), waited_(waited), clock_(clock) {}

  // Sleeps until `until_ms`, woken early when the command ends; passes SIGTERM and SIGHUP on
  // to the command (SIGINT from a terminal reached it already: it is in guard's process group).
  void wait_until(double until_ms);

  bool done() const { return done_; }
  double exit_ms() const { return exit_ms_; }
  // Its exit code, or 128 + the signal that ended it.
  int exit_code() const { return exit_code_; }
  std::optional<int> signal() const { return signal_; }

  // SIGKILL to every process of `tree` (those started meanwhile included) until none is left,
  // each reaped. Returns the pids it ended, the command itself only if it was still running.
  std::vector<pid_t> end_all(WatchedTree& tree);

 private:
  // Collects every ended child: the command, and adopted descendants (guard is their reaper).
  void reap();

  pid_t pid_;
  sigset_t waited_;
  const GuardClock& clock_;
  bool done_ = false;
  double exit_ms_ = 0;
  int exit_code_ = 0;
  std::optional<int> signal_;
  int to_forward_ = -1;
};

}  // namespace sockdrill::guard
