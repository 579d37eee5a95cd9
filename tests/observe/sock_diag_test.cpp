// Kernel facts the observer relies on, checked against real loopback sockets.
#include "harness/observe/sock_diag.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <memory>
#include <set>

#include "harness/observe/dump_repair.hpp"

#include "tests/observe/netns.hpp"
#include "tests/observe/test_sockets.hpp"

namespace {

using sockdrill::SockDiag;
using sockdrill::SocketRecord;
using sockdrill::tcp_state_bit;
using sockdrill::tcp_state_name;
using sockdrill::TcpState;
namespace st = sockdrill::testing;

std::string describe(const std::vector<SocketRecord>& records) {
  std::string text = std::to_string(records.size()) + " sockets:";
  for (const SocketRecord& r : records)
    text += "\n  " + std::string(tcp_state_name(r.state)) + " " + r.local_text() + " -> " +
            r.remote_text() + " rq=" + std::to_string(r.rqueue) + " wq=" + std::to_string(r.wqueue) +
            " cookie=" + std::to_string(r.cookie);
  return text;
}

auto in_state(TcpState state, std::uint16_t sport) {
  return [state, sport](const SocketRecord& r) { return r.state == state && r.sport == sport; };
}

class SockDiagTest : public ::testing::Test {
 protected:
  void SetUp() override {
    st::enter_fresh_netns();
    diag = std::make_unique<SockDiag>();  // after unshare: it observes the fresh namespace
  }
  std::vector<SocketRecord> dump_until(std::uint32_t mask,
                                       const std::function<bool(const std::vector<SocketRecord>&)>& ready) {
    return st::dump_until(*diag, mask, ready);
  }
  std::unique_ptr<SockDiag> diag;
};

TEST_F(SockDiagTest, FreshNamespaceHasNoSockets) {
  std::vector<SocketRecord> records;
  diag->dump(SockDiag::kAllStates, records);
  EXPECT_TRUE(records.empty()) << describe(records);
}

TEST_F(SockDiagTest, ListenerShowsListenWithBacklogInWqueue) {
  st::Fd listener = st::listen_on("127.0.0.1", 7);
  const std::uint16_t port = st::local_port(listener.get());
  std::vector<SocketRecord> records;
  diag->dump(SockDiag::kAllStates, records);
  ASSERT_EQ(records.size(), 1u) << describe(records);
  const SocketRecord& r = records[0];
  EXPECT_EQ(r.family, AF_INET);
  EXPECT_EQ(r.state, TcpState::LISTEN);
  EXPECT_EQ(r.sport, port);
  EXPECT_EQ(r.wqueue, 7u) << "a listener's wqueue is its backlog";
  EXPECT_EQ(r.rqueue, 0u);
  EXPECT_EQ(r.local_text(), "127.0.0.1:" + std::to_string(port));
  EXPECT_NE(r.cookie, 0u);
  struct stat info{};
  ASSERT_EQ(fstat(listener.get(), &info), 0);
  EXPECT_EQ(r.inode, info.st_ino) << "the inode is the socket's, as fstat() sees it";
}

TEST_F(SockDiagTest, ConnectedPairShowsEstablishedOnBothSides) {
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  st::Fd server = st::accept_one(listener.get());
  const std::uint16_t client_port = st::local_port(client.get());

  std::vector<SocketRecord> records;
  diag->dump(tcp_state_bit(TcpState::ESTABLISHED), records);
  ASSERT_EQ(records.size(), 2u) << describe(records);
  const std::string server_end = "127.0.0.1:" + std::to_string(port);
  const std::string client_end = "127.0.0.1:" + std::to_string(client_port);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.local_text() == client_end && r.remote_text() == server_end;
            }), 1u) << describe(records);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.local_text() == server_end && r.remote_text() == client_end && r.inode != 0;
            }), 1u) << describe(records);
  EXPECT_NE(records[0].cookie, records[1].cookie);
}

TEST_F(SockDiagTest, UnsentAndUnreadBytesShowInTheQueues) {
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  st::Fd server = st::accept_one(listener.get());
  ASSERT_EQ(send(client.get(), "hello", 5, 0), 5);
  auto records = dump_until(tcp_state_bit(TcpState::ESTABLISHED), [&](const auto& rs) {
    return st::count_if(rs, [&](const SocketRecord& r) { return r.sport == port && r.rqueue == 5; }) == 1;
  });
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) { return r.sport == port && r.rqueue == 5; }), 1u)
      << "expected the server's 5 unread bytes in rqueue; " << describe(records);
}

TEST_F(SockDiagTest, UnacceptedConnectionsAreVisibleAndCountedByTheListener) {
  st::Fd listener = st::listen_on("127.0.0.1", 16);
  const std::uint16_t port = st::local_port(listener.get());
  std::vector<st::Fd> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(st::connect_to("127.0.0.1", port));

  auto records = dump_until(SockDiag::kAllStates, [&](const auto& rs) {
    return st::count_if(rs, in_state(TcpState::ESTABLISHED, port)) == 3;
  });
  EXPECT_EQ(st::count_if(records, in_state(TcpState::ESTABLISHED, port)), 3u)
      << "connections waiting in the accept queue are ESTABLISHED on the server's port; "
      << describe(records);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.state == TcpState::ESTABLISHED && r.dport == port;
            }), 3u) << describe(records);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.state == TcpState::LISTEN && r.rqueue == 3 && r.wqueue == 16;
            }), 1u) << "the listener's rqueue counts the accept queue; " << describe(records);
}

TEST_F(SockDiagTest, ActiveCloserWaitsInFinWait2AndPassiveInCloseWait) {
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  st::Fd server = st::accept_one(listener.get());
  const std::uint16_t client_port = st::local_port(client.get());
  client.reset();

  const std::uint32_t mask = tcp_state_bit(TcpState::FIN_WAIT2) | tcp_state_bit(TcpState::CLOSE_WAIT);
  auto records = dump_until(mask, [](const auto& rs) { return rs.size() == 2; });
  EXPECT_EQ(st::count_if(records, in_state(TcpState::FIN_WAIT2, client_port)), 1u) << describe(records);
  EXPECT_EQ(st::count_if(records, in_state(TcpState::CLOSE_WAIT, port)), 1u) << describe(records);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.sport == client_port && r.inode == 0;
            }), 1u) << "a closed (orphaned) socket has no inode; " << describe(records);
}

TEST_F(SockDiagTest, TimeWaitOfTheActiveCloserKeepsItsCookie) {
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  st::Fd server = st::accept_one(listener.get());
  const std::uint16_t client_port = st::local_port(client.get());

  std::vector<SocketRecord> records;
  diag->dump(tcp_state_bit(TcpState::ESTABLISHED), records);
  auto established = std::find_if(records.begin(), records.end(), in_state(TcpState::ESTABLISHED, client_port));
  ASSERT_NE(established, records.end()) << describe(records);
  const std::uint64_t cookie = established->cookie;

  client.reset();  // active close
  server.reset();  // passive close: LAST_ACK, then gone
  records = dump_until(SockDiag::kAllStates, [&](const auto& rs) {
    return st::count_if(rs, in_state(TcpState::TIME_WAIT, client_port)) == 1 &&
           st::count_if(rs, [&](const SocketRecord& r) { return r.sport == port && r.state != TcpState::LISTEN; }) == 0;
  });
  auto time_wait = std::find_if(records.begin(), records.end(), in_state(TcpState::TIME_WAIT, client_port));
  ASSERT_NE(time_wait, records.end()) << "expected TIME_WAIT on the active closer; " << describe(records);
  EXPECT_EQ(time_wait->cookie, cookie) << "the TIME_WAIT minisocket keeps the ESTABLISHED cookie";
  EXPECT_EQ(time_wait->inode, 0u);
  EXPECT_EQ(time_wait->dport, port);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) { return r.state == TcpState::TIME_WAIT; }), 1u)
      << "only the active closer waits; " << describe(records);
}

TEST_F(SockDiagTest, LingerZeroCloseLeavesNoTimeWait) {
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  st::Fd server = st::accept_one(listener.get());
  const std::uint16_t client_port = st::local_port(client.get());
  st::set_linger_zero(client.get());
  client.reset();  // RST instead of FIN

  auto records = dump_until(SockDiag::kAllStates, [&](const auto& rs) {
    return st::count_if(rs, [&](const SocketRecord& r) { return r.state != TcpState::LISTEN; }) == 0;
  });
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) { return r.sport == client_port; }), 0u)
      << "an abortive close leaves nothing behind; " << describe(records);
  EXPECT_EQ(st::count_if(records, [](const SocketRecord& r) { return r.state == TcpState::TIME_WAIT; }), 0u)
      << describe(records);
  char byte;
  EXPECT_EQ(recv(server.get(), &byte, 1, 0), -1);
  EXPECT_EQ(errno, ECONNRESET) << "the server's socket was reset";
}

TEST_F(SockDiagTest, Ipv6LoopbackWorks) {
  st::Fd listener = st::listen_on("::1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("::1", port);
  st::Fd server = st::accept_one(listener.get());

  std::vector<SocketRecord> records;
  diag->dump(SockDiag::kAllStates, records);
  ASSERT_EQ(records.size(), 3u) << describe(records);
  for (const SocketRecord& r : records) EXPECT_EQ(r.family, AF_INET6) << describe(records);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.state == TcpState::LISTEN && r.local_text() == "[::1]:" + std::to_string(port);
            }), 1u) << describe(records);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.state == TcpState::ESTABLISHED && r.remote_text() == "[::1]:" + std::to_string(port);
            }), 1u) << describe(records);
}

TEST_F(SockDiagTest, OneDumpHoldsTheSocketsOfBothFamilies) {
  st::Fd listener6 = st::listen_on("::1", 8);
  st::Fd listener4 = st::listen_on("127.0.0.1", 8);
  st::Fd client4 = st::connect_to("127.0.0.1", st::local_port(listener4.get()));
  st::Fd client6 = st::connect_to("::1", st::local_port(listener6.get()));

  std::vector<SocketRecord> records;
  diag->dump(SockDiag::kAllStates, records);
  // Listeners, clients and the not yet accepted servers: 3 of each family, in one walk.
  EXPECT_EQ(st::count_if(records, [](const SocketRecord& r) { return r.family == AF_INET; }), 3u)
      << describe(records);
  EXPECT_EQ(st::count_if(records, [](const SocketRecord& r) { return r.family == AF_INET6; }), 3u)
      << describe(records);
  EXPECT_TRUE(diag->walks_once()) << "this kernel refused the legacy request: two walks a dump";
  diag->dump(tcp_state_bit(TcpState::LISTEN), records);
  EXPECT_EQ(records.size(), 2u) << describe(records);
}

TEST_F(SockDiagTest, Ipv4ClientOfADualStackListenerShowsV4MappedAddresses) {
  st::Fd listener = st::listen_on("::", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  st::Fd server = st::accept_one(listener.get());

  std::vector<SocketRecord> records;
  diag->dump(tcp_state_bit(TcpState::ESTABLISHED), records);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.family == AF_INET6 && r.local_text() == "[::ffff:127.0.0.1]:" + std::to_string(port);
            }), 1u) << describe(records);
  EXPECT_EQ(st::count_if(records, [&](const SocketRecord& r) {
              return r.family == AF_INET && r.remote_text() == "127.0.0.1:" + std::to_string(port);
            }), 1u) << describe(records);
}

TEST_F(SockDiagTest, StateMaskAsksOnlyForTheGivenStates) {
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  st::Fd server = st::accept_one(listener.get());

  std::vector<SocketRecord> records;
  diag->dump(tcp_state_bit(TcpState::LISTEN), records);
  ASSERT_EQ(records.size(), 1u) << describe(records);
  EXPECT_EQ(records[0].state, TcpState::LISTEN);

  diag->dump(tcp_state_bit(TcpState::ESTABLISHED), records);
  EXPECT_EQ(records.size(), 2u) << "dump replaces the vector's contents; " << describe(records);
  for (const SocketRecord& r : records) EXPECT_EQ(r.state, TcpState::ESTABLISHED);

  diag->dump(tcp_state_bit(TcpState::TIME_WAIT) | tcp_state_bit(TcpState::CLOSE_WAIT), records);
  EXPECT_TRUE(records.empty()) << describe(records);

  diag->dump(0, records);
  EXPECT_TRUE(records.empty()) << describe(records);

  diag->dump(SockDiag::kAllStates, records);
  EXPECT_EQ(records.size(), 3u) << describe(records);
}

TEST_F(SockDiagTest, RequestSocketShowsSynRecv) {
  // With TCP_DEFER_ACCEPT the server ignores the bare final ACK, so the connection stays a
  // request minisocket (SYN_RECV) while the client already sees ESTABLISHED.
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  int defer_s = 30;
  ASSERT_EQ(setsockopt(listener.get(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_s, sizeof defer_s), 0);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  const std::uint16_t client_port = st::local_port(client.get());

  auto records = dump_until(tcp_state_bit(TcpState::SYN_RECV), [](const auto& rs) { return !rs.empty(); });
  ASSERT_EQ(records.size(), 1u) << describe(records);
  EXPECT_EQ(records[0].state, TcpState::SYN_RECV);
  EXPECT_EQ(records[0].sport, port);
  EXPECT_EQ(records[0].dport, client_port);
  EXPECT_NE(records[0].cookie, 0u);

  diag->dump(tcp_state_bit(TcpState::ESTABLISHED), records);
  EXPECT_EQ(st::count_if(records, in_state(TcpState::ESTABLISHED, client_port)), 1u) << describe(records);
  EXPECT_EQ(st::count_if(records, in_state(TcpState::ESTABLISHED, port)), 0u) << describe(records);
}

TEST_F(SockDiagTest, ConnectStuckOnAFullAcceptQueueShowsSynSent) {
  // Backlog 0 takes one connection; the next SYN is dropped, so that client retries in SYN_SENT.
  st::Fd listener = st::listen_on("127.0.0.1", 0);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd first = st::connect_to("127.0.0.1", port);
  dump_until(SockDiag::kAllStates, [&](const auto& rs) {
    return st::count_if(rs, [](const SocketRecord& r) { return r.state == TcpState::LISTEN && r.rqueue == 1; }) == 1;
  });
  st::Fd second = st::connect_to("127.0.0.1", port, /*nonblocking=*/true);
  const std::uint16_t second_port = st::local_port(second.get());

  std::vector<SocketRecord> records;
  diag->dump(tcp_state_bit(TcpState::SYN_SENT), records);
  ASSERT_EQ(records.size(), 1u) << describe(records);
  EXPECT_EQ(records[0].sport, second_port);
  EXPECT_EQ(records[0].dport, port);
}

TEST_F(SockDiagTest, DumpSpanningManyNetlinkChunksIsComplete) {
  // ~100 bytes a socket and at most 32 KiB a chunk: 1,201 sockets take several chunks.
  constexpr int kConnections = 600;
  st::Fd listener = st::listen_on("127.0.0.1", 1024);
  const std::uint16_t port = st::local_port(listener.get());
  std::vector<st::Fd> sockets;
  for (int i = 0; i < kConnections; ++i) {
    sockets.push_back(st::connect_to("127.0.0.1", port));
    sockets.push_back(st::accept_one(listener.get()));
  }
  std::vector<SocketRecord> records;
  for (int round = 0; round < 3; ++round) {  // the reused buffer and vector give the same answer
    diag->dump(SockDiag::kAllStates, records);
    ASSERT_EQ(records.size(), 2u * kConnections + 1) << "round " << round;
  }
  std::vector<std::uint64_t> cookies;
  for (const SocketRecord& r : records) cookies.push_back(r.cookie);
  std::sort(cookies.begin(), cookies.end());
  EXPECT_EQ(std::adjacent_find(cookies.begin(), cookies.end()), cookies.end())
      << "every socket appears once";
}

TEST_F(SockDiagTest, ChildNamespacesGetAPrivateEstablishedHash) {
  sockdrill::set_child_tcp_ehash_entries(1000);
  st::enter_fresh_netns();
  EXPECT_EQ(sockdrill::tcp_ehash_entries(), 1024) << "rounded up to a power of two";
  // The observer works the same on a private table.
  SockDiag private_diag;
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  st::Fd client = st::connect_to("127.0.0.1", st::local_port(listener.get()));
  std::vector<SocketRecord> records;
  private_diag.dump(SockDiag::kAllStates, records);
  EXPECT_EQ(records.size(), 3u) << describe(records);
}

TEST_F(SockDiagTest, FindAnswersWithTheSocketsStillThereAsTheyAreNow) {
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd stays = st::connect_to("127.0.0.1", port);
  st::Fd stays_server = st::accept_one(listener.get());
  st::Fd goes = st::connect_to("127.0.0.1", port);
  st::Fd goes_server = st::accept_one(listener.get());
  std::vector<SocketRecord> before;
  diag->dump(SockDiag::kAllStates, before);
  ASSERT_EQ(before.size(), 5u) << describe(before);

  const std::uint16_t goes_port = st::local_port(goes.get());
  st::set_linger_zero(goes.get());
  goes.reset();  // a reset: both ends leave the table
  stays.reset();  // a FIN: the client goes to FIN_WAIT1 or 2, its server to CLOSE_WAIT
  dump_until(SockDiag::kAllStates, [](const std::vector<SocketRecord>& records) {
    return records.size() == 3 &&
           st::count_if(records, [](const SocketRecord& r) { return r.state == TcpState::CLOSE_WAIT; }) == 1;
  });
  std::vector<SocketRecord> found;
  diag->find(before, found);
  std::set<std::uint64_t> found_cookies;
  for (const SocketRecord& r : found) found_cookies.insert(r.cookie);
  EXPECT_EQ(found.size(), 3u) << describe(found);
  EXPECT_EQ(found_cookies.size(), found.size()) << "each once";
  for (const SocketRecord& r : before) {
    const bool gone = r.sport == goes_port || r.dport == goes_port;
    EXPECT_EQ(found_cookies.count(r.cookie), gone ? 0u : 1u) << describe({r});
  }
  EXPECT_EQ(st::count_if(found, [](const SocketRecord& r) { return r.state == TcpState::LISTEN; }), 1u);
  EXPECT_EQ(st::count_if(found, [](const SocketRecord& r) { return r.state == TcpState::CLOSE_WAIT; }), 1u)
      << "as they are now, not as the first dump saw them: " << describe(found);
}

TEST_F(SockDiagTest, ADumpReadWhileSocketsCloseSkipsOthersAndTheRepairFindsThem) {
  st::enter_netns_with_tcp_table(128);  // several sockets a bucket, as in a case's own table
  SockDiag small;
  constexpr int kPairs = 2500;
  st::Fd listener = st::listen_on("127.0.0.1", 4096);
  const std::uint16_t port = st::local_port(listener.get());
  std::vector<st::Fd> kept, doomed;
  for (int i = 0; i < kPairs; ++i) {
    std::vector<st::Fd>& into = i % 2 ? kept : doomed;
    into.push_back(st::connect_to("127.0.0.1", port));
    into.push_back(st::accept_one(listener.get()));
  }
  std::set<std::uint64_t> kept_cookies;  // the kept connections' sockets, by inode then cookie
  std::set<std::uint32_t> kept_inodes;
  for (const st::Fd& fd : kept) {
    struct stat s{};
    fstat(fd.get(), &s);
    kept_inodes.insert(static_cast<std::uint32_t>(s.st_ino));
  }
  std::vector<SocketRecord> before;
  small.dump(SockDiag::kAllStates, before);
  ASSERT_EQ(before.size(), 2u * kPairs + 1);
  for (const SocketRecord& r : before)
    if (kept_inodes.count(r.inode)) kept_cookies.insert(r.cookie);
  ASSERT_EQ(kept_cookies.size(), kept.size());
  auto kept_missing = [&](const std::vector<SocketRecord>& records) {
    std::set<std::uint64_t> seen;
    for (const SocketRecord& r : records)
      if (kept_cookies.count(r.cookie)) seen.insert(r.cookie);
    return kept_cookies.size() - seen.size();
  };

  // Between every two chunks of a dump, 60 doomed connections end with a reset. Whether that
  // makes the kernel skip a kept socket depends on where its chunks end: dumps are read, the
  // doomed connections made again before each, until one skips (most do).
  std::size_t next = 0;
  auto reset_some = [&] {
    for (std::size_t end = std::min(next + 120, doomed.size()); next < end; next += 2) {
      st::set_linger_zero(doomed[next].get());
      doomed[next].reset();
    }
  };
  std::vector<SocketRecord> now;
  std::size_t skipped_by_the_kernel = 0;
  int round = 0;
  for (; round < 10 && skipped_by_the_kernel == 0; ++round) {
    if (round > 0) {
      doomed.clear();
      for (int i = 0; i < kPairs / 2; ++i) {
        doomed.push_back(st::connect_to("127.0.0.1", port));
        doomed.push_back(st::accept_one(listener.get()));
      }
      next = 0;
      small.dump(SockDiag::kAllStates, before);
    }
    small.set_between_chunks(reset_some);
    small.dump(SockDiag::kAllStates, now);
    small.set_between_chunks(nullptr);
    skipped_by_the_kernel = kept_missing(now);
  }
  // The fact the repair is for: without it, this test would have nothing to find.
  ASSERT_GT(skipped_by_the_kernel, 0u) << "sockets that stayed open all along, missing from a dump: none in "
                                       << round << " dumps, each with " << next / 2 << " connections reset midway";

  sockdrill::DumpRepair repair;
  repair.repair(SockDiag::kAllStates, before, now,
                [&](const std::vector<SocketRecord>& which, std::vector<SocketRecord>& found) { small.find(which, found); });
  EXPECT_EQ(kept_missing(now), 0u) << "after the repair; the kernel had skipped " << skipped_by_the_kernel;
  // (Doomed connections not reset yet can have been skipped too: the repair finds them as well.)
  EXPECT_GE(repair.tally().skipped, skipped_by_the_kernel);
  std::set<std::uint64_t> once;
  for (const SocketRecord& r : now) EXPECT_TRUE(once.insert(r.cookie).second) << "sent twice: " << describe({r});
}

TEST_F(SockDiagTest, ADumpReadWhileConnectionsOpenSendsSomeTwiceAndTheRepairKeepsEachOnce) {
  st::enter_netns_with_tcp_table(128);
  SockDiag small;
  st::Fd listener = st::listen_on("127.0.0.1", 4096);
  const std::uint16_t port = st::local_port(listener.get());
  std::vector<st::Fd> sockets;
  auto open_pairs = [&](int pairs) {
    for (int i = 0; i < pairs; ++i) {
      sockets.push_back(st::connect_to("127.0.0.1", port));
      sockets.push_back(st::accept_one(listener.get()));
    }
  };
  open_pairs(1500);
  std::vector<SocketRecord> before, now;
  small.dump(SockDiag::kAllStates, before);
  // New connections go to the head of their bucket: one made ahead of where the next chunk
  // starts moves a socket already sent into that chunk.
  auto repeats = [](const std::vector<SocketRecord>& records) {
    std::set<std::uint64_t> seen;
    std::size_t twice = 0;
    for (const SocketRecord& r : records) twice += seen.insert(r.cookie).second ? 0 : 1;
    return twice;
  };
  std::size_t sent_twice = 0;
  int round = 0;
  for (; round < 10 && sent_twice == 0; ++round) {
    if (round > 0) small.dump(SockDiag::kAllStates, before);
    small.set_between_chunks([&] { open_pairs(30); });
    small.dump(SockDiag::kAllStates, now);
    small.set_between_chunks(nullptr);
    sent_twice = repeats(now);
  }
  ASSERT_GT(sent_twice, 0u) << "no socket sent twice in " << round << " dumps";
  sockdrill::DumpRepair repair;
  repair.repair(SockDiag::kAllStates, before, now,
                [&](const std::vector<SocketRecord>& which, std::vector<SocketRecord>& found) { small.find(which, found); });
  EXPECT_EQ(repeats(now), 0u);
  EXPECT_EQ(repair.tally().repeats, sent_twice);
  EXPECT_EQ(repair.tally().looked_up, 0u) << "nothing closed: nothing of the previous read to look for";
}

}  // namespace
