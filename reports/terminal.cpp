// The terminal writer: a line per case as it ends, why it did not pass, and the totals.
#include <cctype>
#include <iomanip>
#include <set>

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
  const std::string shown = c.attempt ? c.name + " #" + std::to_string(*c.attempt) : c.name;
  out << (color ? paint : "") << tag << (color ? "\033[0m" : "") << " " << std::left
      << std::setw(48) << shown << " " << fixed_decimals(c.duration_ms / 1000.0, 2) << " s\n";
  if (v == Verdict::pass) return;
  for (const std::string& line : problem_lines(c)) out << "       " << line << "\n";
  if (!c.pcap.empty()) out << "       packets: " << c.pcap << "\n";  // --pcap: to open in Wireshark
  if (!c.runner_stderr.empty()) out << "       runner output:\n" << c.runner_stderr << "\n";
}

void write_flaky(std::ostream& out, const FlakyCase& f, bool color) {
  out << (color ? "\033[35m" : "") << "FLAKY " << (color ? "\033[0m" : "") << " " << f.name << ":";
  for (std::size_t i = 0; i < f.outcomes.size(); ++i) {
    const FlakyOutcome& o = f.outcomes[i];
    out << (i ? "," : "") << " " << verdict_name(o.verdict);
    if (!o.code.empty()) out << " (" << o.code << ")";
    out << " in run " << std::to_string(o.attempt) << " with seed "
        << (o.seed ? std::to_string(*o.seed) : std::string("unknown"));
  }
  out << "\n";
}

void write_totals(std::ostream& out, const RunRecord& run) {
  const Totals t = totals(run);
  using std::to_string;  // not the stream's locale: never "1.000 cases"
  std::set<std::string_view> repeated;
  for (const CaseRecord& c : run.cases)
    if (c.attempt) repeated.insert(c.name);
  if (!repeated.empty())  // --repeat: a record per run
    out << to_string(t.cases) << " runs of " << to_string(repeated.size())
        << (repeated.size() == 1 ? " case: " : " cases: ");
  else
    out << to_string(t.cases) << (t.cases == 1 ? " case: " : " cases: ");
  out << to_string(t.pass) << " passed, " << to_string(t.fail) << " failed, " << to_string(t.error)
      << (t.error == 1 ? " error" : " errors");
  if (t.skip) out << ", " << to_string(t.skip) << " skipped";
  if (t.flaky) out << ", " << to_string(t.flaky) << " flaky";
  out << "\n";
}

}  // namespace sockdrill::reports
