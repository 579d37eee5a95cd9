// Runs the chosen cases, each in a runner of its own, and gathers their records.
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
};

// Runs every case of `specs` as `plan` says, printing each case's terminal line as it ends;
// returns their records in the order of `specs`. Stops starting cases once interrupted
// (g_interrupted, harness/cli/runner_process.hpp); a case never started is not in the record.
reports::RunRecord run_cases(const std::vector<CaseSpec>& specs, const RunPlan& plan);

}  // namespace sockdrill
