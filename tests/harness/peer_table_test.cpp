// The runner's peer table: the source addresses each client process connects from.
#include "harness/run/peer_table.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sockdrill {
namespace {

TEST(SourceAddresses, TheFirstProcessOfAPeerKeepsItsAddress) {
  EXPECT_EQ(source_addresses_of(0).v4, "127.77.0.1");
  EXPECT_EQ(source_addresses_of(0).v6, "fd00:5d::1");
  EXPECT_EQ(source_addresses_of(299).v4, "127.77.1.44");
  EXPECT_EQ(source_addresses_of(0, 2).v4, "127.77.8.1");
  EXPECT_EQ(source_addresses_of(0, 2).v6, "fd00:5d::2:1");
}

// Every process of every peer the checker accepts has addresses no other has.
TEST(SourceAddresses, NoTwoProcessesOfAnyPeersShareOne) {
  std::set<std::string> v4, v6;
  const int shards = processes_for_connections(kMaxConnectionsPerPeer);
  for (int peer = 0; peer < static_cast<int>(kMaxPeers); ++peer)
    for (int shard = 0; shard < shards; ++shard) {
      SourceAddresses a = source_addresses_of(peer, shard);
      EXPECT_TRUE(v4.insert(a.v4).second) << a.v4;
      EXPECT_TRUE(v6.insert(a.v6).second) << a.v6;
      EXPECT_EQ(a.v4.rfind("127.77.", 0), 0u) << a.v4;
    }
}

TEST(PeerTable, AClientPastOneProcessGetsAnAddressPerProcess) {
  CaseSpec spec;
  for (int count : {1, kConnectionsPerProcess, kConnectionsPerProcess + 1, kMaxConnectionsPerPeer}) {
    PeerSpec& p = spec.peers.emplace_back();
    p.name = "c" + std::to_string(count);
    p.kind = PeerKind::client;
    p.connect = ConnectSpec{};
    p.connect->count = count;
  }
  PeerTable peers(spec);
  EXPECT_EQ(peers.at(0).more_sources.size(), 0u);
  EXPECT_EQ(peers.at(1).more_sources.size(), 0u);
  EXPECT_EQ(peers.at(2).more_sources.size(), 1u);
  ASSERT_EQ(peers.at(3).more_sources.size(), 12u);  // 13 processes of at most 8,000
  EXPECT_EQ(peers.at(3).more_sources[0].v4, source_addresses_of(3, 1).v4);
  EXPECT_EQ(peers.at(3).more_sources[11].v4, source_addresses_of(3, 12).v4);
}

// A server listens in one process per 8,000 connections the case's clients make to it, unless
// it never accepts (the connections then wait in its accept queue, no descriptor each).
TEST(PeerTable, AServerThatManyConnectionsReachListensInSeveralProcesses) {
  CaseSpec spec;
  auto server = [&](const char* name, AcceptMode::Kind accept) {
    PeerSpec& p = spec.peers.emplace_back();
    p.name = name;
    p.kind = PeerKind::server;
    p.listen = ListenSpec{};
    p.listen->accept.kind = accept;
  };
  auto client = [&](const char* to, int count) {
    PeerSpec& p = spec.peers.emplace_back();
    p.name = std::string("to_") + to + std::to_string(spec.peers.size());
    p.kind = PeerKind::client;
    p.connect = ConnectSpec{};
    p.connect->to = to;
    p.connect->count = count;
  };
  server("small", AcceptMode::immediately);
  server("big", AcceptMode::immediately);
  server("queue", AcceptMode::never);
  client("small", 8000);
  client("big", 10000);
  client("big", 10000);
  client("queue", 100000);
  PeerTable peers(spec);
  EXPECT_EQ(peers.named("small").listeners, 1);
  EXPECT_EQ(peers.named("big").listeners, 3);
  EXPECT_EQ(peers.named("queue").listeners, 1);
}

TEST(PeerTable, AProxyListensInAProcessPer4000ConnectionsAndCountsForItsDestination) {
  CaseSpec spec;
  auto add = [&](const char* name, PeerKind kind, const char* to, int count) {
    PeerSpec& p = spec.peers.emplace_back();
    p.name = name;
    p.kind = kind;
    if (kind == PeerKind::server) p.listen = ListenSpec{};
    if (kind == PeerKind::proxy) {
      p.listen = ListenSpec{};
      p.proxy_to = to;
    }
    if (kind == PeerKind::client) {
      p.connect = ConnectSpec{};
      p.connect->to = to;
      p.connect->count = count;
    }
  };
  add("server", PeerKind::server, nullptr, 0);
  add("inner", PeerKind::proxy, "server", 0);
  add("outer", PeerKind::proxy, "inner", 0);
  add("small", PeerKind::proxy, "server", 0);
  add("many", PeerKind::client, "outer", 10000);
  add("few", PeerKind::client, "small", 3000);
  PeerTable peers(spec);
  // Two descriptors a relayed connection: 20,000 for 10,000, three processes of 8,000 at most.
  EXPECT_EQ(peers.named("outer").listeners, 3);
  EXPECT_EQ(peers.named("inner").listeners, 3);
  EXPECT_EQ(peers.named("small").listeners, 1);
  EXPECT_TRUE(peers.named("small").more_sources.empty());
  // The server holds one descriptor for each of the 13,000 that reach it through the proxies.
  EXPECT_EQ(peers.named("server").listeners, 2);
  const PeerSlot& outer = peers.named("outer");
  ASSERT_EQ(outer.more_sources.size(), 2u);
  EXPECT_EQ(outer.more_sources[0].v4, source_addresses_of(outer.index, 1).v4);
  EXPECT_EQ(outer.more_sources[1].v4, source_addresses_of(outer.index, 2).v4);
  EXPECT_NE(outer.more_sources[0].v4, outer.source.v4);
}

}  // namespace
}  // namespace sockdrill
