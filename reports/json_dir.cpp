// The report folder: DIR/summary.json for every case, DIR/cases/NAME.json and
// DIR/cases/NAME.trace.json for each, DIR/index.html.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "reports/record_json.hpp"
#include "reports/writers.hpp"

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

// Why `name` could write outside DIR/cases (empty when it cannot).
std::string name_problem(const std::string& name) {
  if (name.empty()) return "it is empty";
  if (name.front() == '/') return "it is an absolute path";
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t end = std::min(name.find('/', start), name.size());
    std::string_view part(name.data() + start, end - start);
    if (part.empty()) return "it has an empty part";
    if (part == "." || part == "..") return "it has a \"" + std::string(part) + "\" part";
    start = end + 1;
  }
  return "";
}

void write_json_file(const fs::path& file, const Json& j) {
  write_checked(file, [&](std::ostream& out) {
    out << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  });
}

Json flaky_json(const FlakyCase& f) {
  Json outcomes = Json::array();
  for (const FlakyOutcome& o : f.outcomes)
    outcomes.push_back({{"verdict", verdict_name(o.verdict)},
                        {"reason_code", o.code},
                        {"attempt", o.attempt},
                        {"seed", o.seed ? Json(*o.seed) : Json(nullptr)}});
  return {{"name", f.name}, {"outcomes", std::move(outcomes)}};
}

// The case as summary.json lists it: its case report's head and its expectations.
Json summary_entry(const CaseRecord& c) {
  const Json full = to_json(c);
  Json entry = Json::object();
  for (const char* key : {"name", "attempt", "file", "verdict", "reason_code", "reason", "duration_ms", "seed",
                          "command_failures"})
    if (full.contains(key))
      entry[key] = full[key];
    else if (key == std::string_view("seed"))
      entry[key] = nullptr;  // listed even when unknown
  entry["report"] = case_report_path(c);
  entry["expectations"] = full["expectations"];
  return entry;
}

}  // namespace

// Run 1 (or the only run) of a case: cases/NAME.json; its run 2: cases/NAME@2.json.
std::string case_report_path(const CaseRecord& c) {
  return "cases/" + run_name(c) + ".json";
}

void write_json_dir(const RunRecord& run, const fs::path& dir) {
  for (const CaseRecord& c : run.cases)
    if (std::string problem = name_problem(c.name); !problem.empty())
      throw std::invalid_argument("refusing to write the report of case \"" + c.name + "\" under " +
                                  dir.string() + ": " + problem);
  std::set<std::string> paths;
  for (const CaseRecord& c : run.cases)
    if (!paths.insert(case_report_path(c)).second)
      throw std::invalid_argument("refusing to write two reports to " + dir.string() + "/" +
                                  case_report_path(c) + ": two runs of case \"" + c.name +
                                  "\" have the same attempt, or a case is named like a run");
  Json cases = Json::array();
  for (const CaseRecord& c : run.cases) {
    const std::string path = case_report_path(c);
    const fs::path file = dir / path;
    fs::create_directories(file.parent_path());
    write_json_file(file, to_json(c));
    write_trace_file({{c}}, dir / (path.substr(0, path.size() - 5) + ".trace.json"));
    cases.push_back(summary_entry(c));
  }
  const Totals t = totals(run);
  Json summary = {{"format", "sockdrill-summary/1"},
                  {"cases", std::move(cases)},
                  {"totals",
                   {{"cases", t.cases},
                    {"pass", t.pass},
                    {"fail", t.fail},
                    {"error", t.error},
                    {"skip", t.skip}}}};
  const bool repeated = std::any_of(run.cases.begin(), run.cases.end(),
                                   [](const CaseRecord& c) { return c.attempt.has_value(); });
  if (repeated) {
    summary["totals"]["flaky"] = t.flaky;
    Json flaky = Json::array();
    for (const FlakyCase& f : run.flaky) flaky.push_back(flaky_json(f));
    summary["flaky"] = std::move(flaky);
  }
  if (!run.cases.empty()) summary["kernel"] = run.cases.front().kernel;
  fs::create_directories(dir);
  write_json_file(dir / "summary.json", summary);
  write_html_file(run, dir / "index.html");
}

}  // namespace sockdrill::reports
