// The live progress line of a run on a terminal: when to show it, its text, drawing it in place.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sockdrill {

// What stdout gets: colour, and the progress line redrawn in place. Both only on a terminal
// that is not TERM=dumb and only without NO_COLOR (set and not empty); otherwise plain lines.
struct TerminalStyle {
  bool color = false;
  bool progress = false;
};
TerminalStyle terminal_style(bool stdout_is_tty, const char* term, const char* no_color);
TerminalStyle stdout_terminal_style();  // from this process's stdout and environment

// The columns of the terminal on stdout; 80 when it does not say.
std::size_t terminal_columns();

// "12 s | 3 done, 2 running, 51 left | close_wait/forgotten, reset/linger_zero": elapsed time,
// finished runs, running ones, runs not started yet, and the running cases' names; cut to
// fewer than `columns` characters (so the terminal never wraps it) with "..." at the cut.
std::string progress_text(const std::vector<std::string>& running, std::int64_t elapsed_ms,
                          std::size_t done, std::size_t left, std::size_t columns);

// Back to the start of the line and clear it: removes the progress line before a result line.
inline constexpr std::string_view kClearLine = "\r\033[K";
// `text` drawn over the current line, the cursor left at its end (no newline).
std::string redrawn_line(std::string_view text);

}  // namespace sockdrill
