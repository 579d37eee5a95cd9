// The JUnit XML writer: one <testsuite> with a <testcase> per case.
#include <string>

#include "reports/shared_text.hpp"
#include "reports/writers.hpp"
#include "reports/xml_text.hpp"

namespace sockdrill::reports {
namespace {

std::string attr(std::string_view text) {
  return xml_escape(text, XmlPlace::attribute);
}

std::string seconds(double ms) {
  return fixed_decimals(ms / 1000.0, 3);
}

// "tests=... failures=... errors=... skipped=... time=...", the same on both levels.
std::string counts(const RunRecord& run) {
  const Totals t = totals(run);
  double ms = 0;
  for (const CaseRecord& c : run.cases) ms += c.duration_ms;
  return "tests=\"" + std::to_string(t.cases) + "\" failures=\"" + std::to_string(t.fail) +
         "\" errors=\"" + std::to_string(t.error) + "\" skipped=\"" + std::to_string(t.skip) +
         "\" time=\"" + seconds(ms) + "\"";
}

// "sockdrill" and the case's folders: "tcp/close/x" -> "sockdrill.tcp.close".
std::string class_name(const std::string& name) {
  std::string classname = "sockdrill";
  if (auto slash = name.rfind('/'); slash != std::string::npos) {
    classname += "." + name.substr(0, slash);
    for (char& ch : classname)
      if (ch == '/') ch = '.';
  }
  return classname;
}

std::string testcase(const CaseRecord& c) {
  std::string xml = "    <testcase classname=\"" + attr(class_name(c.name)) + "\" name=\"" +
                    attr(c.name) + "\" file=\"" + attr(c.file) + "\" time=\"" +
                    seconds(c.duration_ms) + "\"";
  const Verdict v = c.outcome.verdict;
  if (v == Verdict::pass) return xml + "/>\n";
  std::string text;
  for (const std::string& line : problem_lines(c)) text += line + "\n";
  const std::string first =
      text.empty() ? std::string(verdict_name(v)) : text.substr(0, text.find('\n'));
  const char* tag = v == Verdict::fail ? "failure" : v == Verdict::skip ? "skipped" : "error";
  return xml + ">\n      <" + tag + " message=\"" + attr(first) + "\">" +
         xml_escape(text, XmlPlace::content) + "</" + tag + ">\n    </testcase>\n";
}

}  // namespace

void write_junit(const RunRecord& run, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"sockdrill\" " << counts(run) << ">\n"
      << "  <testsuite name=\"sockdrill\" " << counts(run) << ">\n";
  for (const CaseRecord& c : run.cases) out << testcase(c);
  out << "  </testsuite>\n</testsuites>\n";
}

void write_junit_file(const RunRecord& run, const std::filesystem::path& file) {
  write_checked(file, [&](std::ostream& out) { write_junit(run, out); });
}

}  // namespace sockdrill::reports
