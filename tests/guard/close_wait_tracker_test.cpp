// guard's leak rule over samples: settle time, holders, orphans, sockets that leave CLOSE_WAIT.
#include "harness/guard/close_wait_tracker.hpp"

#include <gtest/gtest.h>

namespace sockdrill::guard {
namespace {

SocketRecord close_wait(std::uint64_t cookie, std::uint32_t inode, std::uint32_t unread = 0) {
  SocketRecord r;
  r.family = 2;  // AF_INET
  r.state = TcpState::CLOSE_WAIT;
  r.src = {127, 0, 0, 1};
  r.dst = {127, 0, 0, 1};
  r.sport = 40000;
  r.dport = 8080;
  r.cookie = cookie;
  r.inode = inode;
  // As the kernel counts it: the FIN is one more byte of the queue until end-of-file is read,
  // which happens only after every data byte.
  r.rqueue = unread > 0 ? unread + 1 : 0;
  return r;
}

const Holder kHolder{4242, 5, "python3 leaky.py"};

TEST(CloseWaitTracker, ASocketBecomesACandidateOnlyOnceTwoSamplesASettleTimeApartSawIt) {
  CloseWaitTracker t(1000);
  EXPECT_TRUE(t.sample(100, {close_wait(1, 11)}).empty());
  EXPECT_TRUE(t.sample(1099, {close_wait(1, 11)}).empty());
  EXPECT_EQ(t.sample(1100, {close_wait(1, 11)}), std::vector<std::uint32_t>{11});
  t.held_by(11, kHolder);
  ASSERT_EQ(t.leaks().size(), 1u);
  const SocketLeak& leak = t.leaks()[0];
  EXPECT_EQ(leak.kind, LeakKind::close_wait);
  EXPECT_EQ(leak.pid, 4242);
  EXPECT_EQ(leak.fd, 5);
  EXPECT_EQ(leak.cmdline, "python3 leaky.py");
  EXPECT_EQ(leak.local, "127.0.0.1:40000");
  EXPECT_EQ(leak.remote, "127.0.0.1:8080");
  EXPECT_DOUBLE_EQ(leak.since_ms, 100);
  EXPECT_DOUBLE_EQ(leak.held_ms, 1000);
}

TEST(CloseWaitTracker, ALeakIsFoundOnceAndItsTimeAndQueuesFollowLaterSamples) {
  CloseWaitTracker t(1000);
  t.sample(0, {close_wait(1, 11)});
  t.sample(1000, {close_wait(1, 11)});
  t.held_by(11, kHolder);
  EXPECT_TRUE(t.sample(1500, {close_wait(1, 11, 7)}).empty()) << "asked for its holder again";
  ASSERT_EQ(t.leaks().size(), 1u);
  EXPECT_DOUBLE_EQ(t.leaks()[0].held_ms, 1500);
  EXPECT_EQ(t.leaks()[0].recv_q, 7u);
  // Closed at last: the leak stays, with the time it was held.
  t.sample(1600, {});
  ASSERT_EQ(t.leaks().size(), 1u);
  EXPECT_DOUBLE_EQ(t.leaks()[0].held_ms, 1500);
}

TEST(CloseWaitTracker, TheQueuedFinIsNoUnreadByte) {
  CloseWaitTracker t(10);
  SocketRecord only_fin = close_wait(1, 11);
  only_fin.rqueue = 1;  // every data byte read, end-of-file not yet
  t.sample(0, {only_fin, close_wait(2, 12, 16)});
  t.sample(10, {only_fin, close_wait(2, 12, 16)});
  t.held_by(11, kHolder);
  t.held_by(12, kHolder);
  ASSERT_EQ(t.leaks().size(), 2u);
  EXPECT_EQ(t.leaks()[0].recv_q + t.leaks()[1].recv_q, 16u);
}

TEST(CloseWaitTracker, ASocketClosedWithinTheSettleTimeIsNeverALeak) {
  CloseWaitTracker t(1000);
  t.sample(0, {close_wait(1, 11)});
  t.sample(900, {close_wait(1, 11)});
  t.sample(1000, {});  // closed between 900 and 1000
  EXPECT_TRUE(t.sample(2000, {}).empty());
  EXPECT_TRUE(t.leaks().empty());
}

TEST(CloseWaitTracker, ASocketThatLeftCloseWaitStartsAgainWhenItsCookieComesBack) {
  // Cookies are never reused; a missed sample of the same cookie counts as a new start, which
  // errs towards no leak.
  CloseWaitTracker t(1000);
  t.sample(0, {close_wait(1, 11)});
  t.sample(500, {});
  EXPECT_TRUE(t.sample(1000, {close_wait(1, 11)}).empty());
  EXPECT_EQ(t.sample(2000, {close_wait(1, 11)}), std::vector<std::uint32_t>{11});
}

TEST(CloseWaitTracker, OrphansAndOtherStatesAreNotTracked) {
  CloseWaitTracker t(10);
  SocketRecord established = close_wait(2, 12);
  established.state = TcpState::ESTABLISHED;
  t.sample(0, {close_wait(1, 0), established});
  EXPECT_TRUE(t.sample(100, {close_wait(1, 0), established}).empty());
}

TEST(CloseWaitTracker, ACandidateNoProcessOfTheTreeHoldsIsNoLeakButIsAskedAboutAgain) {
  CloseWaitTracker t(1000);
  t.sample(0, {close_wait(1, 11)});
  EXPECT_EQ(t.sample(1000, {close_wait(1, 11)}).size(), 1u);  // another program's: not held_by
  EXPECT_TRUE(t.leaks().empty());
  EXPECT_EQ(t.sample(1050, {close_wait(1, 11)}).size(), 1u);  // passed to the tree since?
  t.held_by(11, kHolder);
  ASSERT_EQ(t.leaks().size(), 1u);
  EXPECT_DOUBLE_EQ(t.leaks()[0].held_ms, 1050);
}

TEST(CloseWaitTracker, HeldByIgnoresAnInodeThatWasNotACandidateOfThisSample) {
  CloseWaitTracker t(1000);
  t.sample(0, {close_wait(1, 11)});
  t.held_by(11, kHolder);  // not lasted the settle time yet
  t.held_by(99, kHolder);  // unknown
  EXPECT_TRUE(t.leaks().empty());
}

}  // namespace
}  // namespace sockdrill::guard
