// DumpRepair on made-up reads: repeats dropped, missing sockets looked up, states of the mask only.
#include "harness/observe/dump_repair.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using sockdrill::DumpRepair;
using sockdrill::SocketRecord;
using sockdrill::tcp_state_bit;
using sockdrill::TcpState;

SocketRecord socket_of(std::uint64_t cookie, TcpState state, std::uint16_t sport = 0) {
  SocketRecord r;
  r.family = 2;
  r.cookie = cookie;
  r.state = state;
  r.sport = sport;
  return r;
}

std::vector<std::uint64_t> cookies(const std::vector<SocketRecord>& records) {
  std::vector<std::uint64_t> out;
  for (const SocketRecord& r : records) out.push_back(r.cookie);
  return out;
}

// A table the stand-in finder answers from, counting the sockets asked about.
struct Table {
  std::vector<SocketRecord> now;
  std::vector<std::uint64_t> asked;
  DumpRepair::Finder finder() {
    return [this](const std::vector<SocketRecord>& which, std::vector<SocketRecord>& found) {
      for (const SocketRecord& w : which) {
        asked.push_back(w.cookie);
        for (const SocketRecord& r : now)
          if (r.cookie == w.cookie) found.push_back(r);
      }
    };
  }
};

constexpr std::uint32_t kAll = 0xFFFu;

TEST(DumpRepair, ASocketSentTwiceIsKeptOnceWithItsLaterRecord) {
  std::vector<SocketRecord> now = {socket_of(7, TcpState::ESTABLISHED), socket_of(8, TcpState::LISTEN),
                                   socket_of(7, TcpState::CLOSE_WAIT)};
  Table table;
  DumpRepair repair;
  repair.repair(kAll, {}, now, table.finder());
  EXPECT_EQ(cookies(now), (std::vector<std::uint64_t>{7, 8}));
  EXPECT_EQ(now[0].state, TcpState::CLOSE_WAIT) << "the later record is the newer one";
  EXPECT_EQ(repair.tally().repeats, 1u);
  EXPECT_TRUE(table.asked.empty());
}

TEST(DumpRepair, ASocketOfThePreviousReadMissingNowIsAddedWhenTheKernelStillHasIt) {
  const std::vector<SocketRecord> before = {socket_of(1, TcpState::ESTABLISHED), socket_of(2, TcpState::ESTABLISHED),
                                            socket_of(3, TcpState::ESTABLISHED)};
  std::vector<SocketRecord> now = {socket_of(1, TcpState::ESTABLISHED), socket_of(3, TcpState::CLOSE_WAIT)};
  Table table;
  table.now = {socket_of(1, TcpState::ESTABLISHED), socket_of(2, TcpState::CLOSE_WAIT), socket_of(3, TcpState::CLOSE_WAIT)};
  DumpRepair repair;
  repair.repair(kAll, before, now, table.finder());
  EXPECT_EQ(cookies(now), (std::vector<std::uint64_t>{1, 3, 2}));
  EXPECT_EQ(now[2].state, TcpState::CLOSE_WAIT) << "as the lookup found it, not as it was";
  EXPECT_EQ(table.asked, (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(repair.tally().looked_up, 1u);
  EXPECT_EQ(repair.tally().skipped, 1u);
}

// The oldest and the newest sockets of a read can be the ones it skipped: their cookies lie
// outside the cookies it has. Each is added once, even when the lookups answer it twice.
TEST(DumpRepair, SkippedSocketsOutsideTheReadsCookiesAreAddedOnce) {
  const std::vector<SocketRecord> before = {socket_of(10, TcpState::ESTABLISHED), socket_of(500, TcpState::ESTABLISHED),
                                            socket_of(501, TcpState::ESTABLISHED), socket_of(90'000, TcpState::LISTEN)};
  std::vector<SocketRecord> now = {socket_of(500, TcpState::ESTABLISHED), socket_of(501, TcpState::ESTABLISHED)};
  Table table;
  table.now = {socket_of(10, TcpState::ESTABLISHED), socket_of(10, TcpState::ESTABLISHED),
               socket_of(90'000, TcpState::LISTEN), socket_of(500, TcpState::ESTABLISHED)};
  DumpRepair repair;
  repair.repair(kAll, before, now, table.finder());
  EXPECT_EQ(cookies(now), (std::vector<std::uint64_t>{500, 501, 10, 90'000}));
  EXPECT_EQ(table.asked, (std::vector<std::uint64_t>{10, 90'000}));
  EXPECT_EQ(repair.tally().skipped, 2u);
}

TEST(DumpRepair, ASocketTheKernelNoLongerHasStaysOut) {
  const std::vector<SocketRecord> before = {socket_of(1, TcpState::ESTABLISHED), socket_of(2, TcpState::TIME_WAIT)};
  std::vector<SocketRecord> now = {socket_of(1, TcpState::ESTABLISHED)};
  Table table;
  table.now = now;
  DumpRepair repair;
  repair.repair(kAll, before, now, table.finder());
  EXPECT_EQ(cookies(now), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(repair.tally().looked_up, 1u);
  EXPECT_EQ(repair.tally().skipped, 0u);
}

TEST(DumpRepair, OnlySocketsInTheStatesOfTheReadAreLookedUpOrAdded) {
  const std::uint32_t close_wait = tcp_state_bit(TcpState::CLOSE_WAIT);
  // 1 was read in another state (not asked for now); 2 was CLOSE_WAIT and moved to LAST_ACK;
  // 3 was CLOSE_WAIT and still is.
  const std::vector<SocketRecord> before = {socket_of(1, TcpState::ESTABLISHED), socket_of(2, TcpState::CLOSE_WAIT),
                                            socket_of(3, TcpState::CLOSE_WAIT)};
  std::vector<SocketRecord> now;
  Table table;
  table.now = {socket_of(1, TcpState::ESTABLISHED), socket_of(2, TcpState::LAST_ACK), socket_of(3, TcpState::CLOSE_WAIT)};
  DumpRepair repair;
  repair.repair(close_wait, before, now, table.finder());
  EXPECT_EQ(table.asked, (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(cookies(now), (std::vector<std::uint64_t>{3}));
}

TEST(DumpRepair, EachRepeatedSocketKeepsItsFirstPlaceAndItsLastRecord) {
  std::vector<SocketRecord> now = {socket_of(5, TcpState::SYN_SENT), socket_of(6, TcpState::LISTEN),
                                   socket_of(5, TcpState::ESTABLISHED), socket_of(7, TcpState::ESTABLISHED),
                                   socket_of(5, TcpState::FIN_WAIT1), socket_of(7, TcpState::CLOSE_WAIT)};
  DumpRepair repair;
  repair.repair(kAll, {}, now, [](const auto&, auto&) {});
  EXPECT_EQ(cookies(now), (std::vector<std::uint64_t>{5, 6, 7}));
  EXPECT_EQ(now[0].state, TcpState::FIN_WAIT1);
  EXPECT_EQ(now[2].state, TcpState::CLOSE_WAIT);
  EXPECT_EQ(repair.tally().repeats, 3u);
}

TEST(DumpRepair, NothingMissingAsksNothing) {
  const std::vector<SocketRecord> before = {socket_of(1, TcpState::ESTABLISHED), socket_of(2, TcpState::LISTEN)};
  std::vector<SocketRecord> now = {socket_of(2, TcpState::LISTEN), socket_of(9, TcpState::SYN_SENT),
                                   socket_of(1, TcpState::ESTABLISHED)};
  bool called = false;
  DumpRepair repair;
  repair.repair(kAll, before, now, [&](const auto&, auto&) { called = true; });
  EXPECT_FALSE(called);
  EXPECT_EQ(now.size(), 3u);
}

TEST(DumpRepair, ManyReadsOfManySocketsReuseTheIndex) {
  // Larger and smaller reads in turn, cookies dense and spread: repeats found every time.
  DumpRepair repair;
  std::vector<SocketRecord> before;
  for (std::size_t n : {10u, 5000u, 3u, 20000u, 100u}) {
    std::vector<SocketRecord> now;
    const std::uint64_t step = n % 2 ? 1 : 1000003;
    for (std::uint64_t c = 1; c <= n; ++c) now.push_back(socket_of(c * step, TcpState::ESTABLISHED));
    now.push_back(now.front());
    repair.repair(kAll, before, now, [](const auto&, auto&) {});
    EXPECT_EQ(now.size(), n) << n << " sockets and one repeat";
    before = now;
  }
  EXPECT_EQ(repair.tally().repeats, 5u);
}

}  // namespace
