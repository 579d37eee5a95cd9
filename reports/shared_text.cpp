// Locale-free numbers and the lines that say why a case did not pass.
#include "reports/shared_text.hpp"

#include <charconv>
#include <cmath>

namespace sockdrill::reports {

std::string fixed_decimals(double value, int decimals) {
  if (!std::isfinite(value)) value = 0;
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

std::string outcome_text(const Outcome& o) {
  if (o.code.empty() && o.reason.empty()) return "";
  std::string text(verdict_name(o.verdict));
  if (!o.code.empty()) text += " (" + o.code + ")";
  if (!o.reason.empty()) text += ": " + o.reason;
  return text;
}

std::vector<std::string> problem_lines(const CaseRecord& c) {
  std::vector<std::string> lines;
  if (std::string outcome = outcome_text(c.outcome); !outcome.empty()) lines.push_back(outcome);
  for (const CommandFailure& f : c.command_failures)
    lines.push_back(c.file + ": /peers/" + f.peer + "/command/exit_code: " + f.message);
  for (const ExpectationRecord& x : c.expectations) {
    if (x.result == ExpectationRecord::Result::pass) continue;
    const bool undecided = x.result == ExpectationRecord::Result::undecided;
    lines.push_back(x.where + ": " + x.pointer + ": " + (undecided ? "undecided: " : "") +
                    x.message);
  }
  for (const std::string& w : c.warnings) lines.push_back("warning: " + w);
  return lines;
}

}  // namespace sockdrill::reports
