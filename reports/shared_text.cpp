// Locale-free numbers, the lines that say why a case did not pass, and a command's stderr.
#include "reports/shared_text.hpp"

#include <charconv>
#include <cmath>

#include "common/utf8.hpp"

namespace sockdrill::reports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::size_t kStderrLineBytes = 400;

// The length of `text`'s longest prefix of whole characters no longer than `max_bytes`.
std::size_t whole_characters(std::string_view text, std::size_t max_bytes) {
  std::size_t end = 0;
  while (end < text.size()) {
    const std::size_t length = decode_utf8(text, end).second;
    if (end + length > max_bytes) break;
    end += length;
  }
  return end;
}

// One line of a program's output, safe on a terminal and in any report.
std::string printable(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string out;
  for (std::size_t i = 0; i < line.size();) {
    auto [cp, length] = decode_utf8(line, i);
    const bool control = (cp < 0x20 && cp != '\t') || cp == 0x7F || cp == kNotUtf8;
    if (control)
      out += kReplacement;
    else
      out.append(line, i, length);
    i += length;
  }
  return out.size() <= kStderrLineBytes ? out : first_line(out, kStderrLineBytes);
}

const PeerRecord* peer_named(const CaseRecord& c, const std::string& name) {
  for (const PeerRecord& p : c.peers)
    if (p.name == name) return &p;
  return nullptr;
}

void add_stderr(std::vector<std::string>& lines, const PeerRecord* command) {
  if (!command) return;
  for (std::string& line : stderr_excerpt(*command, kStderrLines)) lines.push_back(std::move(line));
}

}  // namespace

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

std::string first_line(std::string_view text, std::size_t max_bytes) {
  text = text.substr(0, text.find('\n'));
  if (text.size() <= max_bytes) return std::string(text);
  const std::size_t room = max_bytes > 3 ? max_bytes - 3 : 0;
  const std::size_t clause = text.substr(0, room + 1).rfind("; ");
  const std::size_t cut =
      clause != std::string_view::npos && clause > room / 2 ? clause : whole_characters(text, room);
  return std::string(text.substr(0, cut)) + "...";
}

bool stderr_explains(const CaseRecord& c, const PeerRecord& command) {
  if (!command.command) return false;
  for (const CommandFailure& f : c.command_failures)
    if (f.peer == command.name) return true;
  return c.outcome.verdict == Verdict::error && c.outcome.code == reason_code::peer_died &&
         command.exit_code && *command.exit_code != command.expected_exit_code.value_or(0);
}

std::vector<std::string> stderr_excerpt(const PeerRecord& command, std::size_t max_lines) {
  std::vector<std::string_view> all;
  std::string_view text = command.stderr_tail;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    all.push_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  if (all.empty()) return {};
  const std::size_t shown = std::min(all.size(), max_lines);
  std::string heading = "stderr of \"" + command.name + "\"";
  if (command.stderr_truncated)
    heading += " (its last " + std::to_string(shown) + " lines)";
  else if (shown < all.size())
    heading += " (last " + std::to_string(shown) + " of " + std::to_string(all.size()) + " lines)";
  std::vector<std::string> lines{heading + ":"};
  for (std::size_t i = all.size() - shown; i < all.size(); ++i)
    lines.push_back("  | " + printable(all[i]));
  return lines;
}

std::vector<std::string> problem_lines(const CaseRecord& c) {
  std::vector<std::string> lines;
  if (std::string outcome = outcome_text(c.outcome); !outcome.empty()) lines.push_back(outcome);
  for (const PeerRecord& p : c.peers) {  // commands that could not start: under the outcome
    bool failed = false;
    for (const CommandFailure& f : c.command_failures) failed = failed || f.peer == p.name;
    if (!failed && stderr_explains(c, p)) add_stderr(lines, &p);
  }
  for (const CommandFailure& f : c.command_failures) {
    lines.push_back(c.file + ": /peers/" + f.peer + "/command/exit_code: " + f.message);
    add_stderr(lines, peer_named(c, f.peer));
  }
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
