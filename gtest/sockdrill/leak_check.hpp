// The GoogleTest socket leak check: after each test, fails it for the TCP sockets it left behind.
#pragma once
#include <cstdint>
#include <vector>

namespace sockdrill::testing {

struct LeakCheckOptions {
  // A socket the test opened is a leak when it is still in CLOSE_WAIT this long after the check
  // first saw it so (a library closing it in the background meanwhile is fine). In strict mode,
  // also how long after the test a socket it opened may take to close.
  int settle_ms = 1000;
  // Also report every TCP socket the test opened and did not close (any state, listeners too).
  bool strict = false;
  // Sockets with this local or remote port are never reported (a shared fixture's server, say).
  std::vector<std::uint16_t> ignored_ports;
};

// The environment variable that overrides the options given in code, so CI can tune the check
// without recompiling: comma-separated words, e.g. "strict,settle_ms=200,ignore_port=8080".
//   strict | strict=1 | strict=0     strict mode on or off
//   settle_ms=N                      0 to 600000
//   ignore_port=P                    1 to 65535; repeatable, added to ignored_ports
inline constexpr const char* kLeakCheckEnv = "SOCKDRILL_LEAK_CHECK";

// Appends the check to GoogleTest's listeners: call it after ::testing::InitGoogleTest() and
// before RUN_ALL_TESTS(). `options`, then SOCKDRILL_LEAK_CHECK over them. Throws
// std::invalid_argument, saying what was expected, for an invalid option or override.
void install_leak_check(const LeakCheckOptions& options = {});

}  // namespace sockdrill::testing
