// The cases a command names: found, selected and checked into CaseSpecs, every problem printed.
#pragma once
#include <string>
#include <vector>

#include "harness/case/case_model.hpp"
#include "harness/cli/case_selection.hpp"
#include "harness/cli/command_line.hpp"

namespace sockdrill {

// Finds the case files of `paths` (case_files.hpp), keeps those `selection` selects, and parses
// and checks them with `defines` into `specs` (each named as found). Prints every problem on
// stderr, each after "`command`: " when it is not a file's own: a path that cannot be used, an
// invalid file, filters that match no case. Returns false when there was any; the valid cases
// are in `specs` even then. A shard that holds none of the selected cases is no problem (a CI
// machine must not fail for it): a note on stderr says so.
bool load_cases(const std::string& command, const std::vector<std::string>& paths,
                const Selection& selection, const Defines& defines, std::vector<CaseSpec>& specs);

}  // namespace sockdrill
