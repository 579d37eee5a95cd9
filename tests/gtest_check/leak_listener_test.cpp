// LeakListener with scripted sockets: a leak fails the current test; a refused read is said once.
#include "gtest/leak_listener.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "tests/gtest_check/scripted_sockets.hpp"

namespace sockdrill::testing::detail {
namespace {

const ::testing::TestInfo& this_test() {
  return *::testing::UnitTest::GetInstance()->current_test_info();
}

TEST(LeakListener, ALeakIsAFailureOfTheTestNamingTheSocket) {
  auto owned = std::make_unique<ScriptedSockets>();
  ScriptedSockets& sockets = *owned;
  LeakCheckOptions options;
  options.settle_ms = 20;
  LeakListener listener(options, std::move(owned));
  listener.OnTestStart(this_test());
  sockets.held = {scripted_socket(7, 1001, TcpState::CLOSE_WAIT, 40001, 8080)};
  EXPECT_NONFATAL_FAILURE(
      listener.OnTestEnd(this_test()),
      "ALeakIsAFailureOfTheTestNamingTheSocket left 1 socket behind (settle 20 ms");
  listener.OnTestStart(this_test());
  EXPECT_NONFATAL_FAILURE(
      {
        sockets.held.push_back(scripted_socket(9, 1002, TcpState::CLOSE_WAIT, 40002, 8080));
        listener.OnTestEnd(this_test());
      },
      ", fd 9\n  127.0.0.1:40002 -> 127.0.0.1:8080, CLOSE_WAIT for ");
}

TEST(LeakListener, ARefusedSocketTableIsSaidOnceAndFailsNothing) {
  auto owned = std::make_unique<ScriptedSockets>();
  owned->refuse = true;
  LeakListener listener({}, std::move(owned));
  ::testing::internal::CaptureStderr();
  for (int test = 0; test < 3; ++test) {
    listener.OnTestStart(this_test());
    listener.OnTestEnd(this_test());
  }
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(
      said,
      "sockdrill leak check: cannot read the kernel's TCP sockets (sock_diag: scripted refusal: "
      "Operation not permitted); from here on no test is checked for socket leaks\n");
  EXPECT_FALSE(HasFailure());
}

}  // namespace
}  // namespace sockdrill::testing::detail
