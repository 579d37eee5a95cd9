// A command's bytes from its sockets' tcp_info: a received FIN counted in tcpi_bytes_received is
// not data, whichever of the dump's two states shows it.
#include "harness/observe/command_bytes.hpp"

#include <gtest/gtest.h>

namespace {

using sockdrill::Attribution;
using sockdrill::CommandBytes;
using sockdrill::SocketRecord;
using sockdrill::TcpState;

SocketRecord with_bytes(TcpState state, TcpState info_state, std::uint64_t received) {
  SocketRecord r;
  r.family = 2;  // AF_INET
  r.state = state;
  r.info_state = info_state;
  r.cookie = 7;
  r.inode = 70;
  r.has_bytes = true;
  r.bytes_received = received;
  return r;
}

TEST(CommandBytesTest, AFinThatArrivedAsTheDumpReadTheSocketIsNoDataByte) {
  Attribution a;
  a.claim_inode(0, 70);
  const std::vector<bool> is_command{true};
  CommandBytes bytes;
  // 3 bytes of data and the FIN: the dump's state still ESTABLISHED, tcp_info's CLOSE_WAIT.
  auto grown = bytes.update({with_bytes(TcpState::ESTABLISHED, TcpState::CLOSE_WAIT, 4)}, {}, a, is_command);
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0].received, 3);
  grown = bytes.update({with_bytes(TcpState::CLOSE_WAIT, TcpState::CLOSE_WAIT, 4)}, {}, a, is_command);
  EXPECT_TRUE(grown.empty()) << "still 3";
}

TEST(CommandBytesTest, DataWithoutAFinIsCountedWhole) {
  Attribution a;
  a.claim_inode(0, 70);
  CommandBytes bytes;
  auto grown = bytes.update({with_bytes(TcpState::ESTABLISHED, TcpState::ESTABLISHED, 4)}, {}, a, {true});
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0].received, 4);
}

// Both states are read before tcp_info locks the socket: a FIN processed while the program held
// the lock is in the count of a read whose states are still ESTABLISHED. The next read (state
// after the FIN) takes that byte back: 3 bytes in all (tests/harness/right/command_client.json
// failed with 4).
TEST(CommandBytesTest, AFinCountedUnderAnOlderStateIsTakenBackByTheNextRead) {
  Attribution a;
  a.claim_inode(0, 70);
  CommandBytes bytes;
  auto grown = bytes.update({with_bytes(TcpState::ESTABLISHED, TcpState::ESTABLISHED, 4)}, {}, a, {true});
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0].received, 4);
  grown = bytes.update({with_bytes(TcpState::CLOSE_WAIT, TcpState::CLOSE_WAIT, 4)}, {}, a, {true});
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0].received, -1);
  grown = bytes.update({with_bytes(TcpState::CLOSE_WAIT, TcpState::CLOSE_WAIT, 4)}, {}, a, {true});
  EXPECT_TRUE(grown.empty()) << "3 from now on";
}

}  // namespace
