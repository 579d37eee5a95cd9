// The live progress line of a run on a terminal: when to show it, its text, drawing it in place.
#include "harness/cli/progress_line.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace sockdrill {
namespace {

// Characters, not bytes: a UTF-8 continuation byte does not start one.
std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// The first `keep` characters of `text`.
std::string_view first_characters(std::string_view text, std::size_t keep) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == keep) return text.substr(0, i);
  }
  return text;
}

std::string elapsed_text(std::int64_t ms) {
  const std::int64_t s = ms / 1000;
  if (s < 60) return std::to_string(s) + " s";
  const std::string seconds = std::to_string(s % 60);
  return std::to_string(s / 60) + ":" + (seconds.size() < 2 ? "0" : "") + seconds;
}

}  // namespace

TerminalStyle terminal_style(bool stdout_is_tty, const char* term, const char* no_color) {
  const bool plain = !stdout_is_tty || (term && std::strcmp(term, "dumb") == 0) ||
                     (no_color && *no_color);
  return {!plain, !plain};
}

TerminalStyle stdout_terminal_style() {
  return terminal_style(::isatty(STDOUT_FILENO), std::getenv("TERM"), std::getenv("NO_COLOR"));
}

std::size_t terminal_columns() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::string progress_text(const std::vector<std::string>& running, std::int64_t elapsed_ms,
                          std::size_t done, std::size_t left, std::size_t columns) {
  std::string text = elapsed_text(elapsed_ms) + " | " + std::to_string(done) + " done, " +
                     std::to_string(running.size()) + " running, " + std::to_string(left) + " left";
  for (std::size_t i = 0; i < running.size(); ++i) text += (i == 0 ? " | " : ", ") + running[i];
  for (char& c : text)  // a name is a file's: a control character in it must not move the cursor
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  const std::size_t room = columns > 1 ? columns - 1 : 0;
  if (characters(text) <= room) return text;
  if (room <= 3) return std::string(first_characters(text, room));
  return std::string(first_characters(text, room - 3)) + "...";
}

std::string redrawn_line(std::string_view text) {
  return std::string(kClearLine) + std::string(text);
}

}  // namespace sockdrill
