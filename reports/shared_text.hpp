// Text several writers share: locale-free numbers, why a case did not pass, a command's stderr.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "reports/record.hpp"

namespace sockdrill::reports {

// `value` with exactly `decimals` decimals and a '.', whatever the global locale.
std::string fixed_decimals(double value, int decimals);

// "error (timeout): REASON", "skip (ipv6): REASON", "fail: REASON"; empty when there is
// neither a code nor a reason.
std::string outcome_text(const Outcome& o);

// `text`'s first line, at most about `max_bytes` long: cut after its last "; " that fits, or
// else at a character, and then ending in "...".
std::string first_line(std::string_view text, std::size_t max_bytes);

// How many of a command's last stderr lines people are shown.
inline constexpr std::size_t kStderrLines = 10;

// Whether the command's stderr explains the case: it exited with a status other than its
// exit_code, or it could not start (the case is `error (peer_died)` and it exited with a status
// other than the one expected, 0 when none is).
bool stderr_explains(const CaseRecord& c, const PeerRecord& command);

// The last `max_lines` lines of the command's stderr under a heading: `stderr of "app" (last 10
// of 42 lines):`, then each line as "  | TEXT" (control characters as U+FFFD, long lines cut).
// Empty when it wrote nothing.
std::vector<std::string> stderr_excerpt(const PeerRecord& command, std::size_t max_lines);

// Why a case did not pass, one line each: its outcome, each command that exited otherwise
// ("FILE: /peers/P/command/exit_code: MESSAGE"), each expectation that failed
// ("FILE:LINE:COL: /pointer: MESSAGE") or is undecided ("...: /pointer: undecided: MESSAGE"),
// and each warning ("warning: ..."). The stderr of each command that explains the case
// (stderr_explains) follows, once, the line about that command, or else the outcome.
std::vector<std::string> problem_lines(const CaseRecord& c);

}  // namespace sockdrill::reports
