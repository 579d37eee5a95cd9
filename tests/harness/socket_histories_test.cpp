// The runner's per-connection history: state changes only, bounded, and when a socket is gone.
#include "harness/run/socket_histories.hpp"

#include <gtest/gtest.h>

namespace sockdrill {
namespace {

SocketRecord socket(std::uint64_t cookie, TcpState state) {
  SocketRecord r;
  r.family = 2;  // AF_INET
  r.state = state;
  r.src = {127, 0, 0, 1};
  r.dst = {127, 0, 0, 2};
  r.sport = 40000;
  r.dport = static_cast<std::uint16_t>(50000 + cookie);
  r.cookie = cookie;
  return r;
}

TEST(SocketHistories, KeepsOnlyChangesOfState) {
  SocketHistories h;
  const std::vector<int> owner{0};
  h.observe(1, {socket(7, TcpState::ESTABLISHED)}, owner, true);
  h.observe(2, {socket(7, TcpState::ESTABLISHED)}, owner, true);
  h.observe(3, {socket(7, TcpState::CLOSE_WAIT)}, owner, true);
  reports::CaseRecord r;
  h.fill(r, {"server"});
  ASSERT_EQ(r.sockets.size(), 1u);
  const reports::SocketHistory& s = r.sockets[0];
  EXPECT_EQ(s.cookie, 7u);
  EXPECT_EQ(s.peer, "server");
  EXPECT_EQ(s.local, "127.0.0.1:40000");
  EXPECT_EQ(s.remote, "127.0.0.2:50007");
  EXPECT_EQ(s.states,
            (std::vector<std::pair<double, std::string>>{{1, "ESTABLISHED"}, {3, "CLOSE_WAIT"}}));
  EXPECT_FALSE(s.gone_ms);
}

TEST(SocketHistories, GoneOnlyWhenACompleteReadLacksIt) {
  SocketHistories h;
  h.observe(1, {socket(7, TcpState::TIME_WAIT), socket(8, TcpState::LISTEN)}, {-1, 0}, true);
  h.observe(2, {socket(8, TcpState::LISTEN)}, {0}, false);  // asked for LISTEN only
  reports::CaseRecord partial;
  h.fill(partial, {"server"});
  EXPECT_FALSE(partial.sockets[0].gone_ms);
  h.observe(3, {socket(8, TcpState::LISTEN)}, {0}, true);
  reports::CaseRecord r;
  h.fill(r, {"server"});
  EXPECT_EQ(r.sockets[0].gone_ms, 3.0);
  EXPECT_EQ(r.sockets[0].peer, "(unattributed)");
  EXPECT_FALSE(r.sockets[1].gone_ms);
}

TEST(SocketHistories, ALaterClaimNamesTheOwner) {
  SocketHistories h;
  h.observe(1, {socket(7, TcpState::SYN_SENT)}, {-1}, true);
  h.observe(2, {socket(7, TcpState::SYN_SENT)}, {1}, true);
  reports::CaseRecord r;
  h.fill(r, {"server", "client"});
  EXPECT_EQ(r.sockets[0].peer, "client");
  EXPECT_EQ(r.sockets[0].states.size(), 1u);
}

// Past the bound the connections are counted once each, however many samples see them.
TEST(SocketHistories, PastTheBoundConnectionsAreCountedNotKept) {
  SocketHistories h(3);
  std::vector<SocketRecord> five;
  for (std::uint64_t c = 1; c <= 5; ++c) five.push_back(socket(c, TcpState::ESTABLISHED));
  h.observe(1, five, {}, true);
  for (SocketRecord& s : five) s.state = TcpState::FIN_WAIT2;
  h.observe(2, five, {}, true);
  reports::CaseRecord r;
  h.fill(r, {});
  ASSERT_EQ(r.sockets.size(), 3u);
  EXPECT_EQ(r.sockets_omitted, 2);
  EXPECT_EQ(r.sockets[2].cookie, 3u);
  EXPECT_EQ(r.sockets[2].states.size(), 2u);
}

TEST(SocketHistories, TheDefaultBoundIsTheRecordsOne) {
  SocketHistories h;
  std::vector<SocketRecord> many;
  for (std::uint64_t c = 1; c <= reports::kSocketHistoriesKept + 10; ++c)
    many.push_back(socket(c, TcpState::ESTABLISHED));
  h.observe(1, many, {}, true);
  reports::CaseRecord r;
  h.fill(r, {});
  EXPECT_EQ(r.sockets.size(), reports::kSocketHistoriesKept);
  EXPECT_EQ(r.sockets_omitted, 10);
}

}  // namespace
}  // namespace sockdrill
