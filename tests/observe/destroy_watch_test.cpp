// DestroyWatch on real loopback sockets: notices with byte counts, and lost ones counted.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "harness/observe/sock_diag.hpp"
#include "tests/observe/netns.hpp"
#include "tests/observe/test_sockets.hpp"

namespace {

using sockdrill::DestroyWatch;
using sockdrill::SocketRecord;
using sockdrill::TcpState;
namespace st = sockdrill::testing;

bool on_port(const SocketRecord& r, std::uint16_t port) { return r.sport == port || r.dport == port; }

// Reads `watch` until it has `count` notices of sockets on `port`, for at most ~5 s (notices
// come from a kernel work queue), and returns them.
std::vector<SocketRecord> read_until(DestroyWatch& watch, std::uint16_t port, std::size_t count) {
  std::vector<SocketRecord> records, mine;
  for (int attempt = 0; attempt < 5000 && mine.size() < count; ++attempt) {
    records.clear();
    watch.read(records);
    for (const SocketRecord& r : records)
      if (on_port(r, port)) mine.push_back(r);
    if (mine.size() < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return mine;
}

TEST(DestroyWatchTest, FreedSocketsComeWithTheirFinalByteCounts) {
  st::enter_fresh_netns();
  DestroyWatch watch;
  st::Fd listener = st::listen_on("127.0.0.1", 8);
  const std::uint16_t port = st::local_port(listener.get());
  st::Fd client = st::connect_to("127.0.0.1", port);
  st::Fd server = st::accept_one(listener.get());
  ASSERT_EQ(send(client.get(), "hello", 5, 0), 5);
  char text[5];
  ASSERT_EQ(recv(server.get(), text, sizeof text, MSG_WAITALL), 5);
  client.reset();
  server.reset();

  const std::vector<SocketRecord> freed = read_until(watch, port, 2);
  ASSERT_EQ(freed.size(), 2u);
  EXPECT_FALSE(watch.lost());
  for (const SocketRecord& r : freed) {
    EXPECT_EQ(r.state, TcpState::CLOSE);
    EXPECT_EQ(r.inode, 0u);
    EXPECT_TRUE(r.has_bytes);
    if (r.dport == port) {
      EXPECT_EQ(r.bytes_sent, 5u) << "the client sent 5 bytes";
    } else {
      EXPECT_EQ(r.bytes_received, 6u) << "5 bytes and the client's FIN";
    }
  }
}

TEST(DestroyWatchTest, NoticesTheKernelDroppedCountAsLostAndReadingGoesOn) {
  st::enter_fresh_netns();
  DestroyWatch small(1);  // the kernel's minimum, a few KiB: room for about two notices
  DestroyWatch witness;   // room for all of them
  constexpr std::size_t kPairs = 20;
  st::Fd listener = st::listen_on("127.0.0.1", 64);
  const std::uint16_t port = st::local_port(listener.get());
  {
    std::vector<st::Fd> sockets;
    for (std::size_t i = 0; i < kPairs; ++i) {
      sockets.push_back(st::connect_to("127.0.0.1", port));
      sockets.push_back(st::accept_one(listener.get()));
    }
  }
  // The kernel offers each notice to every listener in turn: once the witness has them all,
  // `small` was offered them all too, unread, and had to drop most.
  ASSERT_EQ(read_until(witness, port, 2 * kPairs).size(), 2 * kPairs);
  EXPECT_FALSE(witness.lost());

  std::vector<SocketRecord> records;
  small.read(records);
  EXPECT_TRUE(small.lost()) << records.size() << " notices read of " << 2 * kPairs;
  EXPECT_FALSE(records.empty()) << "the notices queued before the drop are still read";
  EXPECT_LT(records.size(), 2 * kPairs);
}

}  // namespace
