// The cases a command names: found, selected and checked into CaseSpecs, every problem printed.
#include "harness/cli/case_loading.hpp"

#include <iostream>

#include "harness/case/case_parser.hpp"
#include "harness/cli/case_files.hpp"

namespace sockdrill {
namespace {

std::string cases_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " case" : " cases");
}

// Whether the selection left something to do; prints why not.
bool selection_fits(const std::string& command, const Selection& selection, std::size_t found,
                    const Selected& selected) {
  if (selected.matching == 0 && !selection.filters.empty()) {
    std::cerr << command << ": expected " << filters_text(selection) << " to match a case name, "
              << "matched none of the " << cases_text(found) << " found (sockdrill list shows them)\n";
    return false;
  }
  if (selected.files.empty() && selection.shard) {
    std::cerr << command << ": shard " << selection.shard->index << "/" << selection.shard->count
              << " holds none of the " << cases_text(selected.matching) << " selected; nothing to do\n";
  }
  return true;
}

}  // namespace

bool load_cases(const std::string& command, const std::vector<std::string>& paths,
                const Selection& selection, const Defines& defines, std::vector<CaseSpec>& specs) {
  std::vector<std::string> path_errors;
  const std::vector<CaseFile> found = collect_case_files(paths, path_errors);
  for (const std::string& e : path_errors) std::cerr << e << "\n";
  const Selected selected = select_cases(found, selection);
  bool ok = path_errors.empty() && selection_fits(command, selection, found.size(), selected);
  for (const CaseFile& f : selected.files) {
    ParseResult r = parse_case_file(f.path, defines);
    for (const CaseError& e : r.errors) std::cerr << e.message << "\n";
    if (!r.spec) {
      ok = false;
      continue;
    }
    r.spec->name = f.name;
    specs.push_back(std::move(*r.spec));
  }
  return ok;
}

}  // namespace sockdrill
