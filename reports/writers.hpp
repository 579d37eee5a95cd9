// Every report writer: the terminal, and the table of those a command-line option selects.
#pragma once
#include <filesystem>
#include <ostream>
#include <span>
#include <string_view>

#include "reports/output_file.hpp"
#include "reports/record.hpp"

namespace sockdrill::reports {

// terminal.cpp, printed as the run goes. One line per case ("PASS   name   1.23 s", coloured
// when `color`), then, unless it passed, why (shared_text.hpp) and the runner's stderr.
void write_case_result(std::ostream& out, const CaseRecord& c, bool color);
// "12 cases: 11 passed, 1 failed, 0 errors[, 2 skipped][, 1 flaky]"; "60 runs of 12 cases: ..."
// when the cases were repeated (their runs have an attempt, shown as "NAME #2").
void write_totals(std::ostream& out, const RunRecord& run);
// "FLAKY  NAME: pass in run 1 with seed 12, fail in run 3 with seed 34"
void write_flaky(std::ostream& out, const FlakyCase& f, bool color);

// json_dir.cpp: DIR/summary.json and DIR/cases/NAME.json (NAME's '/' make subfolders). A case
// name that is empty, absolute, or has an empty, "." or ".." part is refused (invalid_argument)
// before anything is written: no name can write outside DIR. A repeated case's run 2, 3...
// goes to cases/NAME@2.json...; two runs that would share a file are refused the same way.
// With repeated runs, summary.json also has "flaky" and totals.flaky.
void write_json_dir(const RunRecord& run, const std::filesystem::path& dir);

// junit.cpp: one <testcase> per case.
void write_junit(const RunRecord& run, std::ostream& out);
void write_junit_file(const RunRecord& run, const std::filesystem::path& file);

// A writer chosen on the command line by `option DESTINATION`. Each throws on a write error.
struct Writer {
  std::string_view name;
  std::string_view option;  // "--report": also takes "--report=DESTINATION"
  Destination destination;  // what the option's value names
  std::string_view writes;  // for --help: "write ..."
  void (*write)(const RunRecord& run, const std::filesystem::path& destination);
};

std::span<const Writer> file_writers();
const Writer* writer_for_option(std::string_view option);  // nullptr when no writer has it

}  // namespace sockdrill::reports
