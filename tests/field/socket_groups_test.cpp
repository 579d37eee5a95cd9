// Folding sockets into groups: which side is the server's, what a group sums.
#include "harness/field/socket_groups.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

namespace sockdrill::field {
namespace {

SocketRecord v4(TcpState state, const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
  SocketRecord r;
  r.family = AF_INET;
  r.state = state;
  inet_pton(AF_INET, src, r.src.data());
  inet_pton(AF_INET, dst, r.dst.data());
  r.sport = sport;
  r.dport = dport;
  return r;
}

TEST(SocketGroups, AServersSocketsGroupByItsPortAndTheClientsAddress) {
  std::vector<SocketRecord> all{v4(TcpState::LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0),
                                v4(TcpState::CLOSE_WAIT, "10.0.0.1", 8080, "10.0.0.5", 40001),
                                v4(TcpState::CLOSE_WAIT, "10.0.0.1", 8080, "10.0.0.5", 40002),
                                v4(TcpState::ESTABLISHED, "10.0.0.1", 41000, "10.0.0.9", 5432)};
  const ListeningPorts listening(all);
  GroupBuilder groups;
  for (const SocketRecord& s : all) groups.add(s, listening.serves(s));
  const auto out = groups.take();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].state, TcpState::CLOSE_WAIT);
  EXPECT_EQ(out[0].count, 2u);
  EXPECT_EQ(out[0].local, "10.0.0.1:8080");
  EXPECT_EQ(out[0].remote, "10.0.0.5:*");
  // A client's socket keeps the remote port and drops its own.
  const auto client = std::find_if(out.begin(), out.end(), [](auto& g) { return g.state == TcpState::ESTABLISHED; });
  ASSERT_NE(client, out.end());
  EXPECT_EQ(client->local, "10.0.0.1:*");
  EXPECT_EQ(client->remote, "10.0.0.9:5432");
}

TEST(SocketGroups, AListenerOnOneAddressServesOnlyThatAddress) {
  std::vector<SocketRecord> all{v4(TcpState::LISTEN, "127.0.0.1", 9000, "0.0.0.0", 0)};
  const ListeningPorts listening(all);
  EXPECT_TRUE(listening.serves(v4(TcpState::ESTABLISHED, "127.0.0.1", 9000, "127.0.0.2", 5)));
  EXPECT_FALSE(listening.serves(v4(TcpState::ESTABLISHED, "127.0.0.3", 9000, "127.0.0.2", 5)));
}

TEST(SocketGroups, UnreadDataLeavesOutTheFinAndAgesComeFromTcpInfo) {
  GroupBuilder groups;
  SocketRecord a = v4(TcpState::CLOSE_WAIT, "127.0.0.1", 80, "127.0.0.2", 1);
  a.rqueue = 1;  // the FIN only: nothing unread
  a.has_bytes = true;
  a.last_ack_recv_ms = 4000;
  a.last_data_recv_ms = 4000;
  SocketRecord b = a;
  b.rqueue = 1001;  // 1000 bytes and the FIN
  b.last_ack_recv_ms = 2500;
  b.last_data_recv_ms = 2600;
  b.timer = 2;
  b.expires_ms = 7000;
  groups.add(a, true);
  groups.add(b, true);
  const auto out = groups.take();
  ASSERT_EQ(out.size(), 1u);
  const SocketGroup& g = out[0];
  EXPECT_EQ(g.recv_q, 1000u);
  EXPECT_EQ(g.recv_q_max, 1000u);
  EXPECT_EQ(g.with_unread, 1u);
  EXPECT_EQ(g.quiet_ms_min, 2500u);
  EXPECT_EQ(g.quiet_ms_max, 4000u);
  EXPECT_EQ(g.unread_for_ms_min, 2600u);
  EXPECT_EQ(g.unread_for_ms_max, 2600u);
  EXPECT_EQ(g.timers.at("keepalive"), 1u);
  EXPECT_EQ(g.expires_ms_max, 7000u);
}

TEST(SocketGroups, AHandshakeOrAFinIsNoUnacknowledgedDataAndSynSentHasNoPeerSilence) {
  GroupBuilder groups;
  SocketRecord syn = v4(TcpState::SYN_SENT, "127.0.0.2", 40000, "127.0.0.1", 80);
  syn.wqueue = 1;  // the SYN
  syn.has_bytes = true;
  syn.last_ack_recv_ms = 16'708'788;  // tcp_info's "never": since boot
  SocketRecord closing = v4(TcpState::LAST_ACK, "127.0.0.1", 80, "127.0.0.3", 5);
  closing.wqueue = 101;  // 100 bytes and the FIN
  groups.add(syn, false);
  groups.add(closing, true);
  for (const SocketGroup& g : groups.take()) {
    if (g.state == TcpState::SYN_SENT) {
      EXPECT_EQ(g.send_q, 0u);
      EXPECT_EQ(g.with_unsent, 0u);
      EXPECT_FALSE(g.quiet_ms_max);
    } else {
      EXPECT_EQ(g.send_q, 100u);
    }
  }
}

TEST(SocketGroups, Ipv6EndpointsAreBracketed) {
  SocketRecord r;
  r.family = AF_INET6;
  inet_pton(AF_INET6, "::1", r.src.data());
  EXPECT_EQ(endpoint_text(r.family, r.src, 443), "[::1]:443");
  EXPECT_EQ(endpoint_text(r.family, r.src, -1), "[::1]:*");
}

}  // namespace
}  // namespace sockdrill::field
