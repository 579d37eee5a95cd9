// What a run tells people and machines: terminal lines, summary.json, per-case JSON, JUnit XML.
#pragma once
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "common/json.hpp"

namespace sockdrill {

// One line per case ("PASS  name  1.23 s"), then, for a failure or an error, why.
void print_case_result(std::ostream& out, const Json& report, bool color);
// The closing line: "12 cases: 11 passed, 1 failed, 0 errors".
void print_totals(std::ostream& out, const std::vector<Json>& reports);

// DIR/summary.json and DIR/cases/NAME.json for every case.
void write_report_dir(const std::filesystem::path& dir, const std::vector<Json>& reports);
void write_junit(const std::filesystem::path& file, const std::vector<Json>& reports);

}  // namespace sockdrill
