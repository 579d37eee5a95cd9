// Runs the chosen cases, each in a runner of its own, several at once, and gathers their records.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/case/case_model.hpp"
#include "reports/record.hpp"

namespace sockdrill {

// How `sockdrill run` runs its cases (set from the command line).
struct RunPlan {
  std::string peer_program;                      // path of sockdrill-peer
  std::optional<std::filesystem::path> pcap_dir;  // --pcap DIR: DIR/NAME.pcap per case
  int jobs = 1;                                   // --jobs N: cases at once
  int repeat = 1;                                 // --repeat N: runs of each case
  bool color = false;                             // colour in the terminal lines
  bool progress = false;  // a live progress line on the terminal (progress_line.hpp)
};

// Runs every case of `specs` as `plan` says: at most `jobs` runners at once, all driven from
// one event loop in this thread; never two runs of one case at once, and a case that loads
// the machine (case_weight.hpp) with no other beside it. Prints each run's terminal line as it
// ends, and a FLAKY line for each case whose outcome changed between its runs. Returns the
// records in the order of `specs` (each case's runs in attempt order) whatever order they
// ended in, with `flaky` filled when `repeat` > 1. On SIGINT, SIGTERM or SIGHUP
// (g_interrupted, runner_process.hpp) every running runner is stopped and its record says
// which signal; no run starts after it, and a run never started is not in the record.
reports::RunRecord run_cases(const std::vector<CaseSpec>& specs, const RunPlan& plan);

}  // namespace sockdrill
