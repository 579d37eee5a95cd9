// The terminal writer: a line per case as it ends, why it did not pass, and the totals.
#include <cctype>
#include <iomanip>

#include "reports/shared_text.hpp"
#include "reports/writers.hpp"

namespace sockdrill::reports {

void write_case_result(std::ostream& out, const CaseRecord& c, bool color) {
  const Verdict v = c.outcome.verdict;
  const char* paint = v == Verdict::pass   ? "\033[32m"
                      : v == Verdict::skip ? "\033[33m"
                                           : "\033[31m";
  std::string tag(verdict_name(v));
  for (char& ch : tag) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  tag.resize(6, ' ');
  out << (color ? paint : "") << tag << (color ? "\033[0m" : "") << " " << std::left
      << std::setw(48) << c.name << " " << fixed_decimals(c.duration_ms / 1000.0, 2) << " s\n";
  if (v == Verdict::pass) return;
  for (const std::string& line : problem_lines(c)) out << "       " << line << "\n";
  if (!c.pcap.empty()) out << "       packets: " << c.pcap << "\n";  // --pcap: to open in Wireshark
  if (!c.runner_stderr.empty()) out << "       runner output:\n" << c.runner_stderr << "\n";
}

void write_totals(std::ostream& out, const RunRecord& run) {
  const Totals t = totals(run);
  using std::to_string;  // not the stream's locale: never "1.000 cases"
  out << to_string(t.cases) << (t.cases == 1 ? " case: " : " cases: ") << to_string(t.pass)
      << " passed, " << to_string(t.fail) << " failed, " << to_string(t.error)
      << (t.error == 1 ? " error" : " errors");
  if (t.skip) out << ", " << to_string(t.skip) << " skipped";
  out << "\n";
}

}  // namespace sockdrill::reports
