// Attribution of sockets to peers: synthetic records for the rules, real sockets for the facts.
#include "harness/observe/attribution.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/observe/netns.hpp"
#include "tests/observe/test_sockets.hpp"

namespace {

using sockdrill::Attribution;
using sockdrill::SockDiag;
using sockdrill::SocketRecord;
using sockdrill::tcp_state_bit;
using sockdrill::TcpState;
namespace st = sockdrill::testing;

SocketRecord record(const std::string& address, std::uint16_t port, std::uint64_t cookie,
                    TcpState state = TcpState::ESTABLISHED) {
  SocketRecord r;
  r.state = state;
  r.sport = port;
  r.cookie = cookie;
  if (inet_pton(AF_INET, address.c_str(), r.src.data()) == 1) {
    r.family = AF_INET;
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, address.c_str(), r.src.data()), 1) << address;
    r.family = AF_INET6;
  }
  return r;
}

TEST(AttributionTest, ExactClaimMatchesOnlyItsAddressAndPort) {
  Attribution a;
  a.claim(3, "127.0.0.1", 4000);
  EXPECT_EQ(a.owner(record("127.0.0.1", 4000, 1)), 3);
  EXPECT_EQ(a.owner(record("127.0.0.2", 4000, 2)), -1);
  EXPECT_EQ(a.owner(record("127.0.0.1", 4001, 3)), -1);
  EXPECT_EQ(a.owner(record("::1", 4000, 4)), -1);
}

TEST(AttributionTest, WildcardsMatchAnyLocalAddressOfTheirFamily) {
  Attribution a;
  a.claim(1, "0.0.0.0", 4000);
  a.claim(2, "::", 5000);
  EXPECT_EQ(a.owner(record("127.0.0.1", 4000, 1)), 1);
  EXPECT_EQ(a.owner(record("10.1.2.3", 4000, 2)), 1);
  EXPECT_EQ(a.owner(record("::ffff:127.0.0.1", 4000, 3)), 1);
  EXPECT_EQ(a.owner(record("::1", 4000, 4)), -1) << "an IPv4 wildcard has no IPv6 sockets";
  EXPECT_EQ(a.owner(record("::1", 5000, 5)), 2);
  EXPECT_EQ(a.owner(record("127.0.0.1", 5000, 6)), 2);
  EXPECT_EQ(a.owner(record("::ffff:127.0.0.1", 5000, 7)), 2);
}

TEST(AttributionTest, Ipv4ClaimMatchesTheV4MappedFormAndBack) {
  Attribution a;
  a.claim(1, "127.0.0.1", 4000);
  a.claim(2, "::ffff:127.0.0.5", 4001);
  EXPECT_EQ(a.owner(record("::ffff:127.0.0.1", 4000, 1)), 1);
  EXPECT_EQ(a.owner(record("127.0.0.5", 4001, 2)), 2);
  EXPECT_EQ(a.owner(record("::ffff:127.0.0.2", 4000, 3)), -1);
}

TEST(AttributionTest, LatestClaimWinsForUnseenSocketsOnly) {
  Attribution a;
  a.claim(1, "127.0.0.1", 4000);
  EXPECT_EQ(a.owner(record("127.0.0.1", 4000, 10, TcpState::TIME_WAIT)), 1);
  a.claim(2, "0.0.0.0", 4000);  // a restarted server takes the port
  EXPECT_EQ(a.owner(record("127.0.0.1", 4000, 10, TcpState::TIME_WAIT)), 1)
      << "a seen socket keeps its first owner";
  EXPECT_EQ(a.owner(record("127.0.0.1", 4000, 11)), 2) << "a new socket goes to the latest claim";
}

TEST(AttributionTest, UnclaimedSocketIsNotRememberedSoALaterClaimGetsIt) {
  Attribution a;
  EXPECT_EQ(a.owner(record("127.0.0.1", 4000, 7)), -1);
  a.claim(4, "127.0.0.1", 4000);
  EXPECT_EQ(a.owner(record("127.0.0.1", 4000, 7)), 4);
}

// A command's listener is found by inode; the connections in its accept queue have none.
TEST(AttributionTest, AListenerHeldByInodeClaimsItsPortForItsQueue) {
  Attribution a;
  SocketRecord listener = record("127.0.0.1", 8000, 10, TcpState::LISTEN);
  listener.inode = 4242;
  SocketRecord queued = record("127.0.0.1", 8000, 11);  // accepted by the kernel, not by accept()
  EXPECT_EQ(a.owner(queued), -1);
  a.claim_inode(3, 4242);
  a.claim_listening_endpoints({listener, queued});
  EXPECT_EQ(a.owner(listener), 3);
  EXPECT_EQ(a.owner(queued), 3);
  SocketRecord unheld = record("127.0.0.1", 9000, 12, TcpState::LISTEN);
  unheld.inode = 5;  // nobody's inode: claims nothing
  a.claim_listening_endpoints({unheld});
  EXPECT_EQ(a.owner(record("127.0.0.1", 9000, 13)), -1);
}

// The only command of a case owns what no sockdrill peer announced, also when no sample saw it
// among the program's descriptors (a connection shorter than the sampling interval).
TEST(AttributionTest, UnclaimedSocketsGoToTheFallbackOwner) {
  Attribution a;
  a.claim(0, "127.0.0.1", 8080);
  EXPECT_EQ(a.owner(record("127.0.0.1", 40000, 1)), -1);
  a.set_fallback_owner(2);
  EXPECT_EQ(a.owner(record("127.0.0.1", 8080, 2)), 0);
  EXPECT_EQ(a.owner(record("127.0.0.1", 40001, 3, TcpState::FIN_WAIT1)), 2);
  a.set_fallback_owner(-1);
  EXPECT_EQ(a.owner(record("127.0.0.1", 40001, 3, TcpState::TIME_WAIT)), 2);  // sticky by cookie
}

TEST(AttributionTest, AddressThatIsNoIpLiteralIsAHarnessBug) {
  Attribution a;
  EXPECT_THROW(a.claim(0, "localhost", 4000), std::invalid_argument);
}

// Real sockets: a dual-stack server, a client, connections it never accepted, and a restart.
class AttributionRealSocketsTest : public ::testing::Test {
 protected:
  void SetUp() override { st::enter_fresh_netns(); }
};

TEST_F(AttributionRealSocketsTest, EveryRealSocketGoesToItsPeer) {
  constexpr int kServer = 0, kClient = 1;
  SockDiag diag;
  Attribution a;
  st::Fd listener = st::listen_on("::", 16);
  const std::uint16_t port = st::local_port(listener.get());
  a.claim(kServer, "::", port);

  std::vector<st::Fd> clients;
  for (int i = 0; i < 3; ++i) {  // never accepted: they wait in the accept queue
    clients.push_back(st::connect_to("127.0.0.1", port));
    a.claim(kClient, "127.0.0.1", st::local_port(clients.back().get()));
  }
  auto records = st::dump_until(diag, SockDiag::kAllStates, [](const auto& rs) { return rs.size() == 7; });
  ASSERT_EQ(records.size(), 7u);
  int server_sockets = 0, client_sockets = 0;
  for (const SocketRecord& r : records) {
    const int owner = a.owner(r);
    EXPECT_NE(owner, -1) << r.local_text() << " has no owner";
    server_sockets += owner == kServer;
    client_sockets += owner == kClient;
    if (r.sport == port) {
      EXPECT_EQ(owner, kServer) << r.local_text();
    }
  }
  EXPECT_EQ(server_sockets, 4) << "the listener and the 3 connections in its accept queue";
  EXPECT_EQ(client_sockets, 3);
}

TEST_F(AttributionRealSocketsTest, RestartedServerDoesNotTakeItsPredecessorsTimeWait) {
  constexpr int kOldServer = 0, kClient = 1, kNewServer = 2;
  SockDiag diag;
  Attribution a;
  st::Fd listener = st::listen_on("127.0.0.1", 8, 0, /*reuseaddr=*/true);
  const std::uint16_t port = st::local_port(listener.get());
  a.claim(kOldServer, "127.0.0.1", port);
  st::Fd client = st::connect_to("127.0.0.1", port);
  a.claim(kClient, "127.0.0.1", st::local_port(client.get()));
  st::Fd server = st::accept_one(listener.get());

  std::vector<SocketRecord> records;
  diag.dump(SockDiag::kAllStates, records);
  for (const SocketRecord& r : records) a.owner(r);  // first sighting while ESTABLISHED

  server.reset();  // the server closes first: its side ends in TIME_WAIT on the server's port
  client.reset();
  listener.reset();
  records = st::dump_until(diag, SockDiag::kAllStates, [](const auto& rs) {
    return rs.size() == 1 && rs[0].state == TcpState::TIME_WAIT;
  });
  ASSERT_EQ(records.size(), 1u);
  ASSERT_EQ(records[0].sport, port);

  st::Fd restarted = st::listen_on("127.0.0.1", 8, port, /*reuseaddr=*/true);
  a.claim(kNewServer, "127.0.0.1", port);
  diag.dump(SockDiag::kAllStates, records);
  ASSERT_EQ(records.size(), 2u);
  for (const SocketRecord& r : records) {
    const int expected = r.state == TcpState::TIME_WAIT ? kOldServer : kNewServer;
    EXPECT_EQ(a.owner(r), expected) << r.local_text();
  }
}

}  // namespace
