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

// json_dir.cpp: DIR/summary.json, DIR/cases/NAME.json and its trace DIR/cases/NAME.trace.json
// (NAME's '/' make subfolders), and DIR/index.html (write_html_file). A case
// name that is empty, absolute, or has an empty, "." or ".." part is refused (invalid_argument)
// before anything is written: no name can write outside DIR. A repeated case's run 2, 3...
// goes to cases/NAME@2.json...; two runs that would share a file are refused the same way.
// With repeated runs, summary.json also has "flaky" and totals.flaky.
void write_json_dir(const RunRecord& run, const std::filesystem::path& dir);
// Where in DIR the case named NAME has its report: "cases/NAME.json".
std::string case_report_path(const CaseRecord& c);

// html.cpp: one self-contained page (no network, no fonts): a summary table, then each case,
// failures first, with why it did not pass and its timeline chart (html_chart.hpp).
void write_html(const RunRecord& run, std::ostream& out);
void write_html_file(const RunRecord& run, const std::filesystem::path& file);

// junit.cpp: one <testsuite> per case, one <testcase> per expectation, command exit status and
// (when it says more) outcome; with run.report_dir, each suite names its case's report files.
void write_junit(const RunRecord& run, std::ostream& out);
void write_junit_file(const RunRecord& run, const std::filesystem::path& file);

// trace.cpp: the Chrome Trace Event Format (JSON object form), for Perfetto and chrome://tracing.
// Each case is its own group of processes on case time (ts = t_ms in microseconds, from 0):
// peers are processes, connections async spans keyed by socket cookie with their TCP states as
// nested slices, socket counts per peer counter tracks, events and timeline notes instants, and
// each expectation's window its own track. A case with more connections than its record keeps
// (kSocketHistoriesKept) gets its counters only, and says so.
Json trace_json(const RunRecord& run);
void write_trace_file(const RunRecord& run, const std::filesystem::path& file);

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
