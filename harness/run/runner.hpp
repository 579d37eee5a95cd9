// Runs one validated case inside its namespace and returns everything that happened.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "reports/record.hpp"
#include "harness/case/case_model.hpp"
#include "harness/run/isolation.hpp"

namespace sockdrill {

struct RunOptions {
  std::string peer_program;  // path of sockdrill-peer
  std::string display_name;  // the case's name in reports
  // --pcap: where to write the capture of the case namespace's loopback traffic.
  std::optional<std::filesystem::path> pcap_file;
};

// The case's record (harness/run/case_report.hpp). Never throws: what the program under test
// does is data, and a failure of the harness itself becomes verdict "error" (reason code
// "harness") with whatever was gathered until then.
reports::CaseRecord run_case(const CaseSpec& spec, const RunOptions& options,
                             const IsolationInfo& isolation);

}  // namespace sockdrill
