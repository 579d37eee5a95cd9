// The rules of the case format (docs/case-format.md) applied to a parsed document: fills a CaseSpec, collects every error.
#pragma once
#include <cstddef>
#include <set>

#include "common/diagnostics.hpp"
#include "common/json.hpp"
#include "harness/case/case_model.hpp"

namespace sockdrill {

struct CaseCheck {
  Diagnostics diag;
  // Indexes into diag.items() of errors about a key itself (a bad peer or sysctl name): they are
  // located at the key rather than at its value. "unknown key" errors are always located so.
  std::set<std::size_t> at_key;
  // Whether a command's program and its {case_dir} files must exist on this machine (tests of
  // the rules alone turn it off).
  bool look_at_files = true;
};

// Checks `doc` against every rule and fills `spec` (whose file and name are already set).
// SourceLocation.pointer is filled here; line and column are the caller's (it has the text).
// Reads /proc/sys to check that each sysctl exists on this kernel.
void check_case_document(const Json& doc, CaseSpec& spec, CaseCheck& check);

}  // namespace sockdrill
