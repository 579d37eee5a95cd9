// Each finding rule: found when its mechanism is in the snapshot, not found just short of it.
#include "harness/field/findings/finding.hpp"

#include <gtest/gtest.h>

#include <set>

#include "tests/field/snapshot_builders.hpp"

namespace sockdrill::field {
namespace {

using testing::group;
using testing::process;
using testing::snapshot;

std::vector<std::string> kinds(const Snapshot& now, const Snapshot* before = nullptr) {
  std::vector<std::string> out;
  for (const Finding& f : explain({now, before, {}})) out.push_back(f.kind);
  return out;
}

using Kinds = std::vector<std::string>;

SocketGroup close_wait(std::uint64_t n, std::uint32_t quiet_ms) {
  SocketGroup g = group(TcpState::CLOSE_WAIT, n, "127.0.0.1:8080", "127.0.0.2:*");
  g.quiet_ms_min = quiet_ms / 2;
  g.quiet_ms_max = quiet_ms;
  return g;
}

TEST(Findings, AHealthyNamespaceHasNone) {
  SocketGroup established = group(TcpState::ESTABLISHED, 20, "127.0.0.1:8080", "127.0.0.2:*");
  established.quiet_ms_max = 60000;
  Snapshot s = snapshot({process(10, {established, group(TcpState::LISTEN, 1, "127.0.0.1:8080", "*:*")})},
                        {group(TcpState::TIME_WAIT, 99, "127.0.0.2:*", "127.0.0.1:8080")});
  s.listeners.push_back({"127.0.0.1:8080", {10}, 0, 128});
  EXPECT_EQ(kinds(s), Kinds{});
}

TEST(Findings, ForgottenCloseNeedsAnOldOrGrowingCloseWait) {
  const Snapshot old = snapshot({process(42, {close_wait(500, 3000)})});
  const auto found = explain({old, nullptr, {}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "forgotten_close");
  EXPECT_EQ(found[0].pid, 42);
  EXPECT_EQ(found[0].count, 500u);
  EXPECT_EQ(found[0].example_case, "cases/close_wait/forgotten_close.json");
  EXPECT_EQ(found[0].evidence[0], "500 sockets in CLOSE_WAIT held by server 42: their peers closed, the program has not");

  const Snapshot young = snapshot({process(42, {close_wait(500, 900)})});
  EXPECT_EQ(kinds(young), Kinds{});
  // Young, but more of them than a second before: growing.
  const Snapshot earlier = snapshot({process(42, {close_wait(100, 900)})});
  EXPECT_EQ(kinds(young, &earlier), Kinds{"forgotten_close"});
}

TEST(Findings, StoppedReadingNeedsDataThatWaited) {
  SocketGroup g = group(TcpState::ESTABLISHED, 10, "127.0.0.1:8080", "127.0.0.2:*");
  g.with_unread = 10;
  g.recv_q = 10000;
  g.unread_for_ms_max = 5000;
  EXPECT_EQ(kinds(snapshot({process(7, {g})})), Kinds{"stopped_reading"});
  g.unread_for_ms_max = 200;  // just arrived: the program may be reading it now
  EXPECT_EQ(kinds(snapshot({process(7, {g})})), Kinds{});
}

TEST(Findings, AcceptQueueFullAtItsBacklog) {
  Snapshot s = snapshot({process(9, {group(TcpState::LISTEN, 1, "0.0.0.0:80", "*:*")})},
                        {group(TcpState::CLOSE_WAIT, 12, "127.0.0.1:80", "127.0.0.2:*")});
  s.listeners.push_back({"0.0.0.0:80", {9}, 16, 16});
  s.counters["TcpExtListenOverflows"] = 40;
  const auto found = explain({s, nullptr, {}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "accept_queue_full");
  EXPECT_EQ(found[0].pid, 9);
  EXPECT_EQ(found[0].count, 16u);
  EXPECT_EQ(found[0].evidence[1], "12 of them are already closed by their clients (CLOSE_WAIT, not yet accepted)");
  s.listeners[0].accept_queue = 15;
  s.orphans = {};
  EXPECT_EQ(kinds(s), Kinds{});
}

TEST(Findings, PilesStartAtTheLimit) {
  EXPECT_EQ(kinds(snapshot({}, {group(TcpState::FIN_WAIT2, 100, "127.0.0.1:80", "127.0.0.2:*")})),
            Kinds{"fin_wait2_pile"});
  EXPECT_EQ(kinds(snapshot({}, {group(TcpState::FIN_WAIT2, 99, "127.0.0.1:80", "127.0.0.2:*")})), Kinds{});
  EXPECT_EQ(kinds(snapshot({}, {group(TcpState::TIME_WAIT, 1000, "127.0.0.2:*", "127.0.0.1:80")})),
            Kinds{"time_wait_pile"});
  EXPECT_EQ(kinds(snapshot({}, {group(TcpState::SYN_RECV, 300, "127.0.0.1:80", "127.0.0.2:*")})),
            Kinds{"syn_backlog"});
  EXPECT_EQ(kinds(snapshot({}, {group(TcpState::LAST_ACK, 60, "127.0.0.1:80", "127.0.0.2:*"),
                                group(TcpState::FIN_WAIT1, 40, "127.0.0.1:80", "127.0.0.3:*")})),
            Kinds{"orphans"});
  // LAST_ACK a process still holds is no orphan.
  EXPECT_EQ(kinds(snapshot({process(3, {group(TcpState::LAST_ACK, 150, "127.0.0.1:80", "127.0.0.2:*")})})), Kinds{});
}

TEST(Findings, TimeWaitSaysHowMuchOfThePortRangeItHolds) {
  const auto found = explain({snapshot({}, {group(TcpState::TIME_WAIT, 14115, "127.0.0.2:*", "127.0.0.1:80")}), nullptr, {}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].evidence[1].find("(49% of the 28,232 ports of ip_local_port_range 32768 60999)"), std::string::npos)
      << found[0].evidence[1];
}

TEST(Findings, AFinWait2PileSaysWhichEndByThemselves) {
  const auto found = explain({snapshot({process(5, {group(TcpState::FIN_WAIT2, 30, "127.0.0.1:80", "127.0.0.2:*")})},
                                       {group(TcpState::FIN_WAIT2, 200, "127.0.0.1:80", "127.0.0.2:*")}),
                              nullptr, {}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].count, 230u);
  EXPECT_EQ(found[0].pid, 5);
  EXPECT_EQ(found[0].evidence[1], "200 of them closed (no process): each ends after tcp_fin_timeout = 60 s");
  EXPECT_EQ(found[0].evidence[2], "30 still held by a process (shutdown() without close()): no timeout ends those");
}

TEST(Findings, AResetStormNeedsTwoSnapshots) {
  Snapshot before = snapshot({});
  before.counters = {{"TcpExtTCPAbortOnClose", 100}, {"TcpExtTCPAbortOnData", 5}};
  Snapshot now = before;
  now.taken_at_ms += 2000;
  now.counters["TcpExtTCPAbortOnClose"] = 160;
  EXPECT_EQ(kinds(now), Kinds{});
  const auto found = explain({now, &before, {}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "reset_storm");
  EXPECT_EQ(found[0].count, 60u);
  EXPECT_EQ(found[0].evidence[0], "60 connections aborted with a reset in 2.0 s");
  now.counters["TcpExtTCPAbortOnClose"] = 149;  // 49: below the limit
  EXPECT_EQ(kinds(now, &before), Kinds{});
}

TEST(Findings, EveryKindIsInTheTableOnce) {
  std::set<std::string> names;
  for (const FindingKind& k : finding_kinds()) EXPECT_TRUE(names.insert(k.name).second) << k.name;
  EXPECT_EQ(names, (std::set<std::string>{"forgotten_close", "stopped_reading", "accept_queue_full", "fin_wait2_pile",
                                          "time_wait_pile", "syn_backlog", "orphans", "reset_storm"}));
}

}  // namespace
}  // namespace sockdrill::field
