// The options `snapshot` and `explain --live` share: which namespace and which processes.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot.hpp"

namespace CLI {
class App;
}

namespace sockdrill {

struct FieldScope {
  std::vector<pid_t> pids;  // --pid
  std::string netns;        // --netns PATH
};

void add_field_scope_options(CLI::App& app, FieldScope& scope);

// Enters --netns (once per process) and takes a snapshot; on failure says why on stderr,
// prefixed with `who` ("sockdrill snapshot"), and returns nullopt.
std::optional<field::Snapshot> take_field_snapshot(const std::string& who, const FieldScope& scope);

// explain's thresholds: --min-age-ms, --pile, --resets.
void add_explain_limit_options(CLI::App& app, field::ExplainLimits& limits);

// Snapshot files: one (`now`), or two, the earlier first (`before`, `now`). On failure says why on
// stderr and returns false.
bool read_snapshot_files(const std::string& who, const std::vector<std::string>& files,
                         std::optional<field::Snapshot>& before, std::optional<field::Snapshot>& now);

}  // namespace sockdrill
