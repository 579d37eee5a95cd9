// Runs one validated case inside its namespace and returns everything that happened.
#pragma once
#include <string>

#include "common/json.hpp"
#include "harness/case/case_model.hpp"
#include "harness/run/isolation.hpp"

namespace sockdrill {

struct RunOptions {
  std::string peer_program;  // path of sockdrill-peer
  std::string display_name;  // the case's name in reports
};

// The case report: {"name","file","verdict","reason","duration_ms","seed","kernel","sysctl",
// "isolation","peers","expectations","events","samples"}. Never throws for anything the program
// under test does; a harness failure becomes verdict "error" with a reason.
Json run_case(const CaseSpec& spec, const RunOptions& options, const IsolationInfo& isolation);

}  // namespace sockdrill
