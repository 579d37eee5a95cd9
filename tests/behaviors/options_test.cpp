// Every option applied to a real socket, read back with getsockopt or seen in its effect.
#include <netinet/tcp.h>

#include "behaviors/option.hpp"
#include "tests/behaviors/connection_fixture.hpp"

namespace sockdrill::testing {
namespace {

using OptionTest = ConnectionTest;

int int_option(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  EXPECT_EQ(::getsockopt(fd, level, name, &v, &len), 0) << "getsockopt " << name;
  return v;
}

// Applies `options` to the connection and keeps it open for reading back.
#define APPLY_AND_HOLD(options) run(R"([{"hold": {}}])", "close", options)

TEST_F(OptionTest, LingerSetsSoLingerAndMakesTheFinalCloseReset) {
  run(R"([])", "close", R"({"linger_s": 0})");
  EXPECT_EQ(only("closed").detail, "abort");
  char buf[4];
  EXPECT_EQ(recv_within(other, buf, sizeof buf, 1000), -ECONNRESET);
}

TEST_F(OptionTest, LingerReadsBack) {
  APPLY_AND_HOLD(R"({"linger_s": 7})");
  linger l{};
  socklen_t len = sizeof l;
  ASSERT_EQ(::getsockopt(conn->held_fd(), SOL_SOCKET, SO_LINGER, &l, &len), 0);
  EXPECT_EQ(l.l_onoff, 1);
  EXPECT_EQ(l.l_linger, 7);
  EXPECT_EQ(conn->settings.linger_s, 7);
}

TEST_F(OptionTest, KeepaliveSetsTheGivenValues) {
  APPLY_AND_HOLD(R"({"keepalive": {"idle_s": 11, "interval_s": 3, "count": 4}})");
  int fd = conn->held_fd();
  EXPECT_EQ(int_option(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE), 11);
  EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL), 3);
  EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPCNT), 4);
}

TEST_F(OptionTest, KeepaliveLeavesOutWhatIsNotGiven) {
  int default_interval = int_option(conn->fd(), IPPROTO_TCP, TCP_KEEPINTVL);
  APPLY_AND_HOLD(R"({"keepalive": {"idle_s": 9}})");
  EXPECT_EQ(int_option(conn->held_fd(), SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(int_option(conn->held_fd(), IPPROTO_TCP, TCP_KEEPIDLE), 9);
  EXPECT_EQ(int_option(conn->held_fd(), IPPROTO_TCP, TCP_KEEPINTVL), default_interval);
}

TEST_F(OptionTest, RcvbufAndSndbuf) {
  APPLY_AND_HOLD(R"({"rcvbuf": 20000, "sndbuf": 30000})");
  // The kernel doubles the value for its bookkeeping.
  EXPECT_EQ(int_option(conn->held_fd(), SOL_SOCKET, SO_RCVBUF), 40000);
  EXPECT_EQ(int_option(conn->held_fd(), SOL_SOCKET, SO_SNDBUF), 60000);
}

TEST_F(OptionTest, NodelayOnAndOff) {
  APPLY_AND_HOLD(R"({"nodelay": true})");
  EXPECT_EQ(int_option(conn->held_fd(), IPPROTO_TCP, TCP_NODELAY), 1);
  behaviors::OptionTarget target{conn->held_fd(), conn->settings};
  auto off = script_of("[]", "close", R"({"nodelay": false})").options;
  EXPECT_TRUE(off.apply(target).empty());
  EXPECT_EQ(int_option(conn->held_fd(), IPPROTO_TCP, TCP_NODELAY), 0);
}

TEST_F(OptionTest, RecvTimeoutIsTheDefaultTimeoutOfRecvSteps) {
  run(R"([{"recv": {"bytes": 1}}])", "hold", R"({"recv_timeout_ms": 40})");
  EXPECT_EQ(only("timeout").step, 0);
  // It is the peer's own timer: SO_RCVTIMEO stays untouched.
  timeval tv{1, 1};
  socklen_t len = sizeof tv;
  ASSERT_EQ(::getsockopt(conn->held_fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, &len), 0);
  EXPECT_EQ(tv.tv_sec, 0);
  EXPECT_EQ(tv.tv_usec, 0);
}

TEST_F(OptionTest, RecvTimeoutOfTheStepWinsOverTheOption) {
  ASSERT_EQ(::send(other, "x", 1, 0), 1);
  std::thread late([&] {
    ::usleep(100000);
    ::send(other, "y", 1, MSG_NOSIGNAL);
  });
  run(R"([{"recv": {"bytes": 2, "timeout_ms": 3000}}])", "close", R"({"recv_timeout_ms": 20})");
  late.join();
  EXPECT_TRUE(sink.of("timeout").empty()) << sink.kinds();
  EXPECT_EQ(only("received").bytes, 2);
}

TEST_F(OptionTest, FinWait2) {
  APPLY_AND_HOLD(R"({"fin_wait2_s": 7})");
  EXPECT_EQ(int_option(conn->held_fd(), IPPROTO_TCP, TCP_LINGER2), 7);
}

TEST_F(OptionTest, UserTimeout) {
  APPLY_AND_HOLD(R"({"user_timeout_ms": 1234})");
  EXPECT_EQ(int_option(conn->held_fd(), IPPROTO_TCP, TCP_USER_TIMEOUT), 1234);
}

TEST(OptionFailure, AFailingSetsockoptIsAnErrorEventAndTheConnectionGoesOn) {
  boost::asio::io_context io;
  CollectingSink sink;
  behaviors::CueBoard cues;
  int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);  // refuses TCP-level options
  behaviors::Connection conn(io.get_executor(), udp, 0, sink, cues);
  auto options =
      script_of("[]", "close", R"({"user_timeout_ms": 5, "rcvbuf": 4096, "fin_wait2_s": 1})")
          .options;
  behaviors::apply_options(options, conn);
  ASSERT_EQ(sink.kinds(), "error error");
  EXPECT_EQ(sink.events[0].err, ENOPROTOOPT);
  EXPECT_EQ(sink.events[0].detail, "setsockopt(TCP_USER_TIMEOUT)");
  EXPECT_EQ(sink.events[1].detail, "setsockopt(TCP_LINGER2)");
  EXPECT_EQ(int_option(conn.fd(), SOL_SOCKET, SO_RCVBUF), 8192) << "later options still apply";
  conn.close();
}

}  // namespace
}  // namespace sockdrill::testing
