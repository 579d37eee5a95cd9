// The size of a case's private TCP table: from the connections its clients declare.
#include "harness/run/tcp_table_size.hpp"

#include <gtest/gtest.h>

namespace sockdrill {
namespace {

void add_client(CaseSpec& spec, int count) {
  PeerSpec& p = spec.peers.emplace_back();
  p.name = "c" + std::to_string(spec.peers.size());
  p.kind = PeerKind::client;
  p.connect = ConnectSpec{};
  p.connect->count = count;
}

TEST(TcpTableSize, ASmallCaseGetsTheSmallestTable) {
  CaseSpec spec;
  spec.peers.emplace_back().kind = PeerKind::server;
  EXPECT_EQ(tcp_table_buckets(spec), 1024u);
  add_client(spec, 200);
  EXPECT_EQ(tcp_table_buckets(spec), 1024u);  // 800 entries and a few per peer
}

TEST(TcpTableSize, FourEntriesPerDeclaredConnectionUpToTheLargest) {
  CaseSpec spec;
  add_client(spec, 500);
  add_client(spec, 500);
  EXPECT_EQ(tcp_table_buckets(spec), 4096u);  // 4,000 entries and 32
  CaseSpec field;
  add_client(field, kMaxConnectionsPerPeer);
  add_client(field, kMaxConnectionsPerPeer);
  EXPECT_EQ(tcp_table_buckets(field), 262144u);
}

TEST(TcpTableSize, ACommandPeerGetsAtLeastTheDefault) {
  CaseSpec spec;
  spec.peers.emplace_back().kind = PeerKind::command;
  EXPECT_EQ(tcp_table_buckets(spec), kDefaultTcpTableBuckets);
}

}  // namespace
}  // namespace sockdrill
