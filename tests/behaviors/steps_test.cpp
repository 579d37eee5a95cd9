// Every step executed on a real loopback connection, checked by what the other end sees.
#include <netinet/tcp.h>
#include <sys/ioctl.h>

#include <boost/asio/steady_timer.hpp>
#include <cstring>
#include <thread>

#include "common/clock.hpp"
#include "common/errno_names.hpp"
#include "tests/behaviors/connection_fixture.hpp"

namespace sockdrill::testing {
namespace {

using StepTest = ConnectionTest;

// Makes the other end reset the connection (SO_LINGER 0 then close).
void reset_other(int& other) {
  linger l{1, 0};
  ::setsockopt(other, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(other);
  other = -1;
}

TEST_F(StepTest, SendTextArrivesAndIsCountedOnce) {
  run(R"([{"send": "hello"}, {"hold": {}}])");
  char buf[16] = {};
  ASSERT_EQ(recv_within(other, buf, sizeof buf, 1000), 5);
  EXPECT_STREQ(buf, "hello");
  auto& sent = only("sent");
  EXPECT_EQ(sent.bytes, 5);
  EXPECT_EQ(sent.step, 0);
  EXPECT_EQ(sent.conn, 0);
}

TEST_F(StepTest, SendFillerWritesExactlyNBytes) {
  constexpr long kBytes = 3'000'000;  // more than the socket buffers hold: send must wait
  long got = 0;
  std::thread reader([&] {
    char buf[65536];
    for (int i = 0; i < 10000; ++i) {
      long n = recv_within(other, buf, sizeof buf, 2000);
      if (n <= 0) break;
      got += n;
    }
  });
  run(R"([{"send": {"bytes": 3000000}}])");
  reader.join();
  EXPECT_EQ(got, kBytes);  // then EOF from the close after the last step
  EXPECT_EQ(only("sent").bytes, kBytes);
  EXPECT_EQ(only("closed").detail, "close");
}

TEST_F(StepTest, SendToAResetPeerIsAnErrorEventThenOnError) {
  reset_other(other);
  run(R"([{"send": "x"}, {"send": "y"}])", "hold");
  auto& err = only("error");
  ASSERT_TRUE(err.err.has_value());
  EXPECT_TRUE(*err.err == ECONNRESET || *err.err == EPIPE) << errno_name(*err.err);
  EXPECT_EQ(err.step, 0);
  EXPECT_TRUE(sink.of("sent").empty()) << sink.kinds();
  EXPECT_TRUE(sink.of("closed").empty()) << "on_error hold must not close: " << sink.kinds();
  EXPECT_GE(conn->held_fd(), 0);
}

TEST_F(StepTest, RecvBytesReadsExactlyThatManyAndLeavesTheRest) {
  ASSERT_EQ(::send(other, "abcdefgh", 8, 0), 8);
  run(R"([{"recv": {"bytes": 5}}, {"hold": {}}])");
  EXPECT_EQ(only("received").bytes, 5);
  int unread = -1;
  ASSERT_EQ(::ioctl(conn->held_fd(), FIONREAD, &unread), 0);
  EXPECT_EQ(unread, 3) << "recv must not consume bytes it was not asked for";
}

TEST_F(StepTest, RecvUntilEofSucceedsAtEndOfStream) {
  ASSERT_EQ(::send(other, "0123456789", 10, 0), 10);
  ::shutdown(other, SHUT_WR);
  run(R"([{"recv": {"until": "eof"}}, {"send": "ok"}])");
  EXPECT_EQ(only("received").bytes, 10);
  only("eof");
  EXPECT_EQ(only("sent").bytes, 2) << "the step after recv until eof must run";
}

TEST_F(StepTest, RecvEofBeforeTheBytesIsAFailure) {
  ASSERT_EQ(::send(other, "ab", 2, 0), 2);
  ::shutdown(other, SHUT_WR);
  run(R"([{"recv": {"bytes": 5}}, {"send": "never"}])");
  EXPECT_EQ(only("received").bytes, 2);
  EXPECT_EQ(only("eof").step, 0);
  EXPECT_TRUE(sink.of("sent").empty()) << sink.kinds();
  EXPECT_EQ(only("closed").detail, "close");
}

TEST_F(StepTest, RecvTimeoutIsATimeoutEventAndConsumesNothingLate) {
  ASSERT_EQ(::send(other, "ab", 2, 0), 2);
  run(R"([{"recv": {"bytes": 5, "timeout_ms": 50}}])", "hold");
  EXPECT_EQ(only("received").bytes, 2);
  EXPECT_EQ(only("timeout").step, 0);
  ASSERT_EQ(sink.events.back().kind, "timeout") << "received must come before timeout";
  // Data sent after the timeout stays in the kernel for whoever reads next.
  ASSERT_EQ(::send(other, "cde", 3, 0), 3);
  ::usleep(20000);
  int unread = -1;
  ASSERT_EQ(::ioctl(conn->held_fd(), FIONREAD, &unread), 0);
  EXPECT_EQ(unread, 3);
}

TEST_F(StepTest, RecvErrorOnReset) {
  reset_other(other);
  run(R"([{"recv": {"bytes": 1}}])");
  EXPECT_EQ(only("error").err, ECONNRESET);
}

TEST_F(StepTest, SleepDelaysTheNextStep) {
  auto before = std::chrono::steady_clock::now();
  run(R"([{"sleep_ms": 60}, {"send": "x"}])");
  EXPECT_GE(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(60));
  EXPECT_EQ(only("sent").step, 1);
}

TEST_F(StepTest, WaitBlocksUntilTheCue) {
  script = script_of(R"([{"wait": "go"}, {"send": "x"}])");
  start();
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(50));
  EXPECT_TRUE(sink.of("sent").empty()) << "sent before the cue: " << sink.kinds();
  cues.give("other");
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(20));
  EXPECT_TRUE(sink.of("sent").empty()) << "another cue released the wait";
  cues.give("go");
  ASSERT_TRUE(run_until(io, [&] { return finished; }));
  EXPECT_EQ(only("sent").step, 1);
}

TEST_F(StepTest, WaitOnACueGivenEarlierReturnsAtOnce) {
  cues.give("go");
  run(R"([{"wait": "go"}, {"wait": "go"}, {"send": "x"}])");
  EXPECT_EQ(only("sent").step, 2);
}

TEST_F(StepTest, ShutdownWriteLetsTheOtherSideReadEofAndStillSend) {
  script = script_of(
      R"([{"shutdown": "write"}, {"recv": {"bytes": 4, "timeout_ms": 2000}}, {"hold": {}}])");
  start();
  char buf[8];
  std::thread peer([&] {
    long n = recv_within(other, buf, sizeof buf, 2000);
    EXPECT_EQ(n, 0) << "expected EOF after shutdown(write)";
    EXPECT_EQ(::send(other, "pong", 4, MSG_NOSIGNAL), 4);
  });
  ASSERT_TRUE(run_until(io, [&] { return finished; }));
  peer.join();
  EXPECT_EQ(only("received").bytes, 4);
  EXPECT_TRUE(sink.of("error").empty()) << sink.kinds();
}

TEST_F(StepTest, ShutdownReadMakesTheNextRecvSeeEof) {
  run(R"([{"shutdown": "read"}, {"recv": {"until": "eof", "timeout_ms": 2000}}])");
  only("eof");
  EXPECT_TRUE(sink.of("timeout").empty()) << sink.kinds();
}

TEST_F(StepTest, CloseSendsFin) {
  run(R"([{"close": {}}, {"send": "never"}])");
  char buf[4];
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 1000), 0);
  EXPECT_EQ(only("closed").detail, "close");
  EXPECT_EQ(only("closed").step, 0);
  EXPECT_TRUE(sink.of("sent").empty()) << "no step runs after close";
}

TEST_F(StepTest, CloseWithLingerZeroResets) {
  run(R"([{"close": {"linger_s": 0}}])");
  char buf[4];
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 1000), -ECONNRESET);
  EXPECT_EQ(only("closed").detail, "abort");
}

TEST_F(StepTest, CloseWithLingerRunsOffTheEventLoop) {
  run(R"([{"send": "data"}, {"close": {"linger_s": 2}}])");
  ASSERT_TRUE(run_until(io, [&] { return !sink.of("closed").empty(); }));
  EXPECT_EQ(only("closed").detail, "linger");
  char buf[8];
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 1000), 4);
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 1000), 0);
}

TEST_F(StepTest, ABlockingLingerCloseDoesNotStopTheEventLoop) {
  // The other end has a tiny window and never reads: unsent data makes close() linger 1 s.
  ::close(other);
  auto [near, far] = loopback_pair(false, 1);
  other = far;
  conn = std::make_unique<behaviors::Connection>(io.get_executor(), near, 0, sink, cues);
  std::int64_t timer_fired_ns = 0;
  boost::asio::steady_timer timer(io, std::chrono::milliseconds(200));
  timer.async_wait([&](auto) { timer_fired_ns = monotonic_ns(); });
  std::int64_t start_ns = monotonic_ns();
  run(R"([{"send": {"bytes": 10000}}, {"close": {"linger_s": 1}}])");
  ASSERT_TRUE(run_until(io, [&] { return !sink.of("closed").empty(); }));
  auto& closed = only("closed");
  EXPECT_EQ(closed.detail, "linger");
  EXPECT_GE(closed.t_ns - start_ns, 900'000'000) << "close() did not linger";
  ASSERT_NE(timer_fired_ns, 0);
  EXPECT_LT(timer_fired_ns, closed.t_ns) << "the event loop stood still during the close";
}

TEST_F(StepTest, HoldKeepsTheSocketOpen) {
  run(R"([{"hold": {}}, {"close": {}}])");
  EXPECT_TRUE(sink.of("closed").empty()) << sink.kinds();
  ASSERT_GE(conn->held_fd(), 0);
  EXPECT_NE(::fcntl(conn->held_fd(), F_GETFD), -1);
  char buf[4];
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 100), -EAGAIN) << "the other side saw an end";
}

TEST_F(StepTest, StepsRunningOutCloseTheConnection) {
  run(R"([{"send": "x"}])");
  auto& closed = only("closed");
  EXPECT_EQ(closed.detail, "close");
  EXPECT_FALSE(closed.step.has_value());
  char buf[4];
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 1000), 1);
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 1000), 0);
}

TEST_F(StepTest, OnErrorAbortResets) {
  run(R"([{"recv": {"bytes": 1, "timeout_ms": 20}}])", "abort");
  only("timeout");
  EXPECT_EQ(only("closed").detail, "abort");
  char buf[4];
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 1000), -ECONNRESET);
}

TEST_F(StepTest, SetChangesOptionsNow) {
  run(R"([{"set": {"nodelay": true, "linger_s": 3}}, {"hold": {}}])");
  int on = 0;
  socklen_t len = sizeof on;
  ASSERT_EQ(::getsockopt(conn->held_fd(), IPPROTO_TCP, TCP_NODELAY, &on, &len), 0);
  EXPECT_EQ(on, 1);
  linger l{};
  len = sizeof l;
  ASSERT_EQ(::getsockopt(conn->held_fd(), SOL_SOCKET, SO_LINGER, &l, &len), 0);
  EXPECT_EQ(l.l_onoff, 1);
  EXPECT_EQ(l.l_linger, 3);
}

TEST(StepSet, AFailingSetsockoptIsAnErrorAndFailsTheStep) {
  boost::asio::io_context io;
  CollectingSink sink;
  behaviors::CueBoard cues;
  // A UDP socket refuses TCP options with ENOPROTOOPT.
  int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  behaviors::Connection conn(io.get_executor(), udp, 3, sink, cues);
  auto script = script_of(R"([{"set": {"nodelay": true}}, {"send": "x"}])");
  bool done = false;
  boost::asio::co_spawn(io, behaviors::run_steps(script, conn),
                        [&](std::exception_ptr) { done = true; });
  ASSERT_TRUE(run_until(io, [&] { return done; }));
  ASSERT_EQ(sink.kinds(), "error closed");
  EXPECT_EQ(sink.events[0].err, ENOPROTOOPT);
  EXPECT_EQ(sink.events[0].detail, "setsockopt(TCP_NODELAY)");
  EXPECT_EQ(sink.events[0].conn, 3);
}

}  // namespace
}  // namespace sockdrill::testing
