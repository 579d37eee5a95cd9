// guard's stderr: the leaks as a sanitizer prints them, and one line that sums the run up.
#include <cctype>
#include <cstdio>
#include <cstring>

#include "harness/guard/guard_report.hpp"

namespace sockdrill::guard {
namespace {

// The command as a shell would take it back: words with anything but [A-Za-z0-9_./=:,+-@%]
// in single quotes.
std::string shell_words(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& w : words) {
    bool plain = !w.empty();
    for (char c : w)
      plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_./=:,+-@%", c));
    std::string word = "'";
    for (char c : w) word += c == '\'' ? std::string("'\\''") : std::string(1, c);
    text += (text.empty() ? "" : " ") + (plain ? w : word + "'");
  }
  return text;
}

std::string pids(const std::vector<pid_t>& list) {
  std::string text;
  for (pid_t p : list) text += (text.empty() ? "" : ", ") + std::to_string(p);
  return text;
}

}  // namespace

std::string guard_text(const GuardResult& r) {
  std::string text;
  for (const SocketLeak& leak : r.leaks) text += "sockdrill guard: " + describe_leak(leak);
  if (!r.ended.empty())
    text += "sockdrill guard: ended " + std::to_string(r.ended.size()) +
            " process(es) left running by the command: " + pids(r.ended) + "\n";
  if (!r.kept.empty())
    text += "sockdrill guard: left running (--keep): " + pids(r.kept) + "\n";
  if (r.error) {
    text += "sockdrill guard: error: " + *r.error + "\n";
    return text;
  }
  std::size_t close_wait = 0, left = 0;
  for (const SocketLeak& leak : r.leaks) (leak.kind == LeakKind::close_wait ? close_wait : left)++;
  char interval[32];
  std::snprintf(interval, sizeof interval, "%g ms", r.interval_ms);
  // Samples later than planned weaken the promise: say how much, rather than be silently blind.
  if (r.largest_gap_ms > 2 * r.interval_ms) {
    char gap[160];
    std::snprintf(gap, sizeof gap,
                  "sockdrill guard: warning: samples came late (the longest gap was %.0f ms, not "
                  "%g): a CLOSE_WAIT shorter than %.0f ms may have gone unseen\n",
                  r.largest_gap_ms, r.interval_ms, r.settle_ms + 2 * r.largest_gap_ms);
    text += gap;
  }
  text += "sockdrill guard: ";
  if (r.leaks.empty())
    text += "no leaked sockets";
  else
    text += std::to_string(r.leaks.size()) + " leaked socket(s): " + std::to_string(close_wait) +
            " in CLOSE_WAIT, " + std::to_string(left) + " left behind";
  text += " in `" + shell_words(r.command) + "` (exit status " + std::to_string(r.exit_code) + "; " +
          std::to_string(r.samples) + " samples, one every " + interval + ")\n";
  return text;
}

int guard_exit_code(const GuardResult& r, const GuardOptions& options) {
  if (r.error) return r.exit_code == 126 || r.exit_code == 127 ? r.exit_code : 125;
  if (r.exit_code != 0) return r.exit_code;
  return r.leaks.empty() ? 0 : options.leak_exit_code;
}

}  // namespace sockdrill::guard
