// LeakWatch with scripted sockets: what settles, what leaks, in which mode, and only once.
#include "gtest/leak_watch.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/gtest_check/scripted_sockets.hpp"

namespace sockdrill::testing::detail {
namespace {

LeakCheckOptions settle(int ms, bool strict = false) {
  LeakCheckOptions options;
  options.settle_ms = ms;
  options.strict = strict;
  return options;
}

TEST(LeakWatch, ACloseWaitSocketTheTestOpenedIsALeakAfterTheSettleTime) {
  ScriptedSockets sockets;
  LeakWatch watch(settle(50), sockets);
  watch.test_started();
  sockets.held = {scripted_socket(7, 1001, TcpState::CLOSE_WAIT, 40001, 8080)};
  sockets.held[0].record.rqueue = 5;  // 4 bytes of data and the FIN
  sockets.held[0].record.wqueue = 2;
  const std::vector<SocketLeak> leaks = watch.test_ended();
  ASSERT_EQ(leaks.size(), 1u);
  EXPECT_EQ(leaks[0].kind, LeakKind::close_wait);
  EXPECT_EQ(leaks[0].recv_q, 4u);
  EXPECT_EQ(leaks[0].send_q, 2u);
  EXPECT_EQ(leaks[0].fd, 7);
  EXPECT_EQ(leaks[0].pid, ::getpid());
  EXPECT_EQ(leaks[0].local, "127.0.0.1:40001");
  EXPECT_EQ(leaks[0].remote, "127.0.0.1:8080");
  EXPECT_EQ(leaks[0].state, TcpState::CLOSE_WAIT);
  EXPECT_GE(leaks[0].held_ms, 50.0);
  EXPECT_GE(sockets.polls, 4) << "it must poll until the settle time, not judge at once";
  EXPECT_NE(leaks[0].cmdline.find("sockdrill_gtest_check_tests"), std::string::npos)
      << leaks[0].cmdline;
}

TEST(LeakWatch, ASocketClosedWithinTheSettleTimeIsNotALeak) {
  ScriptedSockets sockets;
  LeakWatch watch(settle(1000), sockets);
  watch.test_started();
  sockets.held = {scripted_socket(7, 1001, TcpState::CLOSE_WAIT)};
  sockets.next_poll = [&](int polls) {
    if (polls == 3) sockets.held.clear();  // closed in the background, ~30 ms after the test
  };
  EXPECT_TRUE(watch.test_ended().empty());
  EXPECT_EQ(sockets.polls, 4) << "it stops polling once nothing is left to settle";
}

TEST(LeakWatch, ASocketHeldBeforeTheTestIsNeverItsLeak) {
  ScriptedSockets sockets;
  sockets.held = {scripted_socket(7, 1001, TcpState::CLOSE_WAIT)};
  LeakWatch watch(settle(20, true), sockets);
  watch.test_started();
  EXPECT_TRUE(watch.test_ended().empty()) << "opened by an earlier test, and reported there";
  EXPECT_EQ(sockets.polls, 1);
}

TEST(LeakWatch, AnOpenConnectionIsALeakInStrictModeOnly) {
  ScriptedSockets sockets;
  LeakWatch lenient(settle(30), sockets);
  lenient.test_started();
  sockets.held = {scripted_socket(9, 1002, TcpState::ESTABLISHED),
                  scripted_socket(8, 1003, TcpState::LISTEN, 9000, 0)};
  EXPECT_TRUE(lenient.test_ended().empty());
  EXPECT_EQ(sockets.polls, 1) << "nothing in CLOSE_WAIT: no need to wait";

  sockets.held.clear();
  LeakWatch strict(settle(30, true), sockets);
  strict.test_started();
  sockets.held = {scripted_socket(9, 1002, TcpState::ESTABLISHED),
                  scripted_socket(8, 1003, TcpState::LISTEN, 9000, 0)};
  const std::vector<SocketLeak> leaks = strict.test_ended();
  ASSERT_EQ(leaks.size(), 2u);
  EXPECT_EQ(leaks[0].fd, 8) << "sorted by descriptor";
  EXPECT_EQ(leaks[0].kind, LeakKind::still_open);
  EXPECT_EQ(leaks[0].state, TcpState::LISTEN);
  EXPECT_EQ(leaks[0].remote, "") << "a listener has no remote end";
  EXPECT_EQ(leaks[1].kind, LeakKind::still_open);
  EXPECT_GE(leaks[1].held_ms, 30.0);
}

TEST(LeakWatch, ASocketThatComesToCloseWaitLateSettlesFromThen) {
  ScriptedSockets sockets;
  LeakWatch watch(settle(40, true), sockets);
  watch.test_started();
  sockets.held = {scripted_socket(7, 1001, TcpState::ESTABLISHED)};
  sockets.next_poll = [&](int polls) {
    if (polls == 3) sockets.held[0].record.state = TcpState::CLOSE_WAIT;  // the peer closes late
  };
  const std::vector<SocketLeak> leaks = watch.test_ended();
  ASSERT_EQ(leaks.size(), 1u);
  EXPECT_EQ(leaks[0].kind, LeakKind::close_wait);
  EXPECT_GE(leaks[0].held_ms, 40.0) << "in CLOSE_WAIT for the whole settle time";
}

TEST(LeakWatch, IgnoredPortsAreNeverReported) {
  ScriptedSockets sockets;
  LeakCheckOptions options = settle(10, true);
  options.ignored_ports = {5432};
  LeakWatch watch(options, sockets);
  watch.test_started();
  sockets.held = {scripted_socket(7, 1001, TcpState::CLOSE_WAIT, 40001, 5432),
                  scripted_socket(8, 1002, TcpState::LISTEN, 5432, 0),
                  scripted_socket(9, 1003, TcpState::CLOSE_WAIT, 40002, 8080)};
  const std::vector<SocketLeak> leaks = watch.test_ended();
  ASSERT_EQ(leaks.size(), 1u);
  EXPECT_EQ(leaks[0].fd, 9);
}

}  // namespace
}  // namespace sockdrill::testing::detail
