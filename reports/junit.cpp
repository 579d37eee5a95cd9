// The JUnit XML writer: a <testsuite> per case, a <testcase> per test of it (junit_tests.hpp).
#include <filesystem>
#include <string>

#include "reports/junit_tests.hpp"
#include "reports/shared_text.hpp"
#include "reports/writers.hpp"
#include "reports/xml_text.hpp"

namespace sockdrill::reports {
namespace {

using Result = JunitTest::Result;

std::string attr(std::string_view text) {
  return xml_escape(text, XmlPlace::attribute);
}

std::string text(std::string_view content) {
  return xml_escape(content, XmlPlace::content);
}

std::string seconds(double ms) {
  return fixed_decimals(ms / 1000.0, 3);
}

struct Counts {
  std::int64_t tests = 0, failures = 0, errors = 0, skipped = 0;
  double ms = 0;
  void add(const JunitTest& t) {
    ++tests;
    failures += t.result == Result::failure;
    errors += t.result == Result::error;
    skipped += t.result == Result::skipped;
  }
  void add(const Counts& c) {
    tests += c.tests;
    failures += c.failures;
    errors += c.errors;
    skipped += c.skipped;
    ms += c.ms;
  }
  // Every attribute on every level, even when 0: some readers need them all.
  std::string attributes() const {
    using std::to_string;
    return "tests=\"" + to_string(tests) + "\" failures=\"" + to_string(failures) +
           "\" errors=\"" + to_string(errors) + "\" skipped=\"" + to_string(skipped) +
           "\" time=\"" + seconds(ms) + "\"";
  }
};

// "sockdrill" and the case's name as a class: "tcp/close/x" -> "sockdrill.tcp.close.x".
std::string class_name(const std::string& name) {
  std::string classname = "sockdrill." + name;
  for (char& ch : classname)
    if (ch == '/') ch = '.';
  return classname;
}

std::string property(std::string_view name, std::string_view value) {
  return "      <property name=\"" + attr(name) + "\" value=\"" + attr(value) + "\"/>\n";
}

std::string properties(const CaseRecord& c) {
  std::string xml = "    <properties>\n";
  xml += property("file", c.file);
  xml += property("verdict", verdict_name(c.outcome.verdict));
  if (c.attempt) xml += property("attempt", std::to_string(*c.attempt));
  if (c.seed) xml += property("seed", std::to_string(*c.seed));
  if (!c.kernel.empty()) xml += property("kernel", c.kernel);
  if (!c.isolation.empty()) xml += property("isolation", c.isolation);
  for (const auto& [name, value] : c.sysctl) xml += property("sysctl." + name, value);
  return xml + "    </properties>\n";
}

std::string testcase(const CaseRecord& c, const JunitTest& t) {
  std::string xml = "    <testcase classname=\"" + attr(class_name(run_name(c))) + "\" name=\"" +
                    attr(t.name) + "\" file=\"" + attr(c.file) + "\" time=\"" +
                    seconds(t.time_ms) + "\"";
  if (t.result == Result::pass) return xml + "/>\n";
  const char* tag = t.result == Result::failure ? "failure"
                    : t.result == Result::skipped ? "skipped"
                                                  : "error";
  return xml + ">\n      <" + tag + " message=\"" + attr(t.message) + "\">" + text(t.details) +
         "</" + tag + ">\n    </testcase>\n";
}

// Where this case's other reports are: what a CI page links a failed test to.
std::string system_out(const RunRecord& run, const CaseRecord& c) {
  if (!run.report_dir) return "";
  const std::filesystem::path dir(*run.report_dir);
  return "    <system-out>" + text("report: " + (dir / case_report_path(c)).string() +
                                   "\nsummary: " + (dir / "summary.json").string() + "\n") +
         "</system-out>\n";
}

std::string system_err(const CaseRecord& c) {
  std::string lines;
  for (const std::string& w : c.warnings) lines += "warning: " + w + "\n";
  if (!c.runner_stderr.empty()) lines += "runner output:\n" + c.runner_stderr;
  return lines.empty() ? "" : "    <system-err>" + text(lines) + "</system-err>\n";
}

std::string testsuite(const RunRecord& run, const CaseRecord& c, Counts& counts) {
  const std::vector<JunitTest> tests = junit_tests(c);
  for (const JunitTest& t : tests) counts.add(t);
  counts.ms = c.duration_ms;
  std::string xml = "  <testsuite name=\"" + attr(run_name(c)) + "\" " + counts.attributes() + ">\n" +
                    properties(c);
  for (const JunitTest& t : tests) xml += testcase(c, t);
  return xml + system_out(run, c) + system_err(c) + "  </testsuite>\n";
}

}  // namespace

void write_junit(const RunRecord& run, std::ostream& out) {
  Counts total;
  std::string suites;
  for (const CaseRecord& c : run.cases) {
    Counts counts;
    suites += testsuite(run, c, counts);
    total.add(counts);
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"sockdrill\" " << total.attributes() << ">\n"
      << suites << "</testsuites>\n";
}

void write_junit_file(const RunRecord& run, const std::filesystem::path& file) {
  write_checked(file, [&](std::ostream& out) { write_junit(run, out); });
}

}  // namespace sockdrill::reports
