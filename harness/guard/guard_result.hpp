// What one `sockdrill guard` run found: plain data for its stderr text, JSON and JUnit.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/socket_leak.hpp"
#include "harness/guard/watched_tree.hpp"

namespace sockdrill::guard {

struct GuardResult {
  std::vector<std::string> command;
  // The command's status: its exit code, or 128 + the signal that ended it.
  int exit_code = 0;
  std::optional<int> signal;
  double command_exit_ms = 0;  // since the watch began
  double duration_ms = 0;      // the whole watch, the settle time after the command included
  std::vector<SocketLeak> leaks;   // CLOSE_WAIT leaks in the order found, then left behind
  std::vector<WatchedProcess> processes;  // every process seen in the tree
  std::vector<pid_t> ended;  // processes that outlived the command, ended by guard
  std::vector<pid_t> kept;   // ... left running (--keep)
  std::uint64_t samples = 0;
  // The longest time between two samples: a CLOSE_WAIT longer than settle_ms plus twice this is
  // certain to have been seen as a leak; more than 2 intervals means guard was starved of CPU.
  double largest_gap_ms = 0;
  double settle_ms = 0;
  double interval_ms = 0;
  std::string isolation;  // "host network namespace" or what --isolate made
  std::string kernel;
  std::optional<std::string> error;  // guard could not watch: its own failure, not the command's
  // The status guard exits with (see GuardOptions and the README).
  int guard_exit_code = 0;
};

}  // namespace sockdrill::guard
