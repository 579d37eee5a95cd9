// take_snapshot on a table that changes while it is read: each socket is counted once.
#include "harness/field/take_snapshot.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/observe/test_sockets.hpp"

namespace {

namespace st = sockdrill::testing;
using sockdrill::field::Snapshot;
using sockdrill::field::SnapshotRequest;

// Sockets of the snapshot's groups whose endpoint text names `port` (both ends of the connections
// to it: the server side keeps its own port, the client side the server's).
std::uint64_t sockets_naming_port(const Snapshot& snap, std::uint16_t port) {
  const std::string suffix = ":" + std::to_string(port);
  std::uint64_t n = 0;
  auto count = [&](const std::vector<sockdrill::field::SocketGroup>& groups) {
    for (const auto& g : groups)
      if (g.local.ends_with(suffix) || g.remote.ends_with(suffix)) n += g.count;
  };
  for (const auto& p : snap.processes) count(p.groups);
  count(snap.orphans.groups);
  count(snap.unattributed.groups);
  return n;
}

// New connections go to the head of their hash bucket: made between two chunks of the dump,
// ahead of where the next chunk starts, they push a socket already sent into that chunk, and the
// kernel sends it twice (SockDiagTest shows it on the bare dump). The connections opened during
// the dump go to another port, so the ones to `kept_port` are a number known in advance.
TEST(TakeSnapshot, CountsEachSocketOnceWhileConnectionsOpenDuringItsDump) {
  st::enter_netns_with_tcp_table(128);
  st::Fd kept = st::listen_on("127.0.0.1", 4096);
  st::Fd busy = st::listen_on("127.0.0.1", 4096);
  const std::uint16_t kept_port = st::local_port(kept.get());
  const std::uint16_t busy_port = st::local_port(busy.get());
  std::vector<st::Fd> sockets;
  auto open_pairs = [&](int listener, std::uint16_t port, int pairs) {
    for (int i = 0; i < pairs; ++i) {
      sockets.push_back(st::connect_to("127.0.0.1", port));
      sockets.push_back(st::accept_one(listener));
    }
  };
  const int kKeptPairs = 1500;
  open_pairs(kept.get(), kept_port, kKeptPairs);
  SnapshotRequest request;
  int hook_calls = 0;  // the first 8 gaps of each dump: enough repeats, within the descriptor limit
  request.between_dump_chunks = [&] {
    if (hook_calls++ < 8) open_pairs(busy.get(), busy_port, 30);
  };
  for (int round = 0; round < 3; ++round) {
    hook_calls = 0;
    const Snapshot snap = sockdrill::field::take_snapshot(request);
    // Both ends of each kept connection, and the listener itself.
    EXPECT_EQ(sockets_naming_port(snap, kept_port), 2u * kKeptPairs + 1) << "round " << round;
  }
}

}  // namespace
