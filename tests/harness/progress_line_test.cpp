// The progress line's text, its cut to the terminal's width, and which terminals get it.
#include "harness/cli/progress_line.hpp"

#include <gtest/gtest.h>

namespace sockdrill {
namespace {

TEST(ProgressLine, SaysElapsedDoneRunningLeftAndTheRunningNames) {
  EXPECT_EQ(progress_text({"close_wait/forgotten", "reset/linger_zero"}, 12'345, 3, 51, 200),
            "12 s | 3 done, 2 running, 51 left | close_wait/forgotten, reset/linger_zero");
  EXPECT_EQ(progress_text({}, 0, 0, 0, 80), "0 s | 0 done, 0 running, 0 left");
  EXPECT_EQ(progress_text({"a"}, 65'000, 1, 0, 80), "1:05 | 1 done, 1 running, 0 left | a");
  EXPECT_EQ(progress_text({"a"}, 600'000, 1, 0, 80), "10:00 | 1 done, 1 running, 0 left | a");
}

TEST(ProgressLine, NeverFillsTheLineSoTheTerminalNeverWrapsIt) {
  const std::string cut = progress_text({"close_wait/forgotten", "reset/linger_zero"}, 1000, 0, 9, 40);
  EXPECT_EQ(cut, "1 s | 0 done, 2 running, 9 left | cl...");
  EXPECT_EQ(cut.size(), 39u);
  EXPECT_EQ(progress_text({"a"}, 0, 0, 0, 3), "0 ");
  EXPECT_EQ(progress_text({"a"}, 0, 0, 0, 0), "");
  // Characters, not bytes: a name in UTF-8 is not cut inside a character.
  const std::string utf8 = progress_text({"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"}, 0, 0, 0, 39);
  EXPECT_EQ(utf8, "0 s | 0 done, 1 running, 0 left | \xc3\xa9...");
}

TEST(ProgressLine, AControlCharacterInANameCannotMoveTheCursor) {
  EXPECT_EQ(progress_text({"a\rb\033[2J"}, 0, 0, 0, 80), "0 s | 0 done, 1 running, 0 left | a?b?[2J");
}

TEST(ProgressLine, IsDrawnOverTheLineItReplaces) {
  EXPECT_EQ(redrawn_line("1 s | x"), "\r\033[K1 s | x");
  EXPECT_EQ(kClearLine, "\r\033[K");
}

TEST(TerminalStyle, OnlyAColourTerminalGetsColourAndTheProgressLine) {
  EXPECT_TRUE(terminal_style(true, "xterm", nullptr).color);
  EXPECT_TRUE(terminal_style(true, "xterm", nullptr).progress);
  EXPECT_TRUE(terminal_style(true, nullptr, "").progress);  // NO_COLOR empty: not set
  for (auto style : {terminal_style(false, "xterm", nullptr), terminal_style(true, "dumb", nullptr),
                     terminal_style(true, "xterm", "1")}) {
    EXPECT_FALSE(style.color);
    EXPECT_FALSE(style.progress);
  }
}

}  // namespace
}  // namespace sockdrill
