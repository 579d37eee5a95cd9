// The words for a leaked socket (common/socket_leak): what, who, where, how long, and what it means.
#include "common/socket_leak.hpp"

#include <gtest/gtest.h>

using sockdrill::LeakKind;
using sockdrill::SocketLeak;
using sockdrill::TcpState;

namespace {

SocketLeak close_wait_leak() {
  SocketLeak leak;
  leak.pid = 4242;
  leak.cmdline = "python3 leaky.py";
  leak.fd = 5;
  leak.local = "127.0.0.1:40112";
  leak.remote = "127.0.0.1:8080";
  leak.since_ms = 210;
  leak.held_ms = 1530;
  return leak;
}

}  // namespace

TEST(SocketLeak, CloseWaitSaysWhoWhereHowLongAndWhy) {
  EXPECT_EQ(sockdrill::describe_leak(close_wait_leak()),
            "CLOSE_WAIT leak: pid 4242 (python3 leaky.py), fd 5\n"
            "  127.0.0.1:40112 -> 127.0.0.1:8080, CLOSE_WAIT for 1.53 s, recv-q 0, send-q 0\n"
            "  the peer closed at 0.21 s; the program did not call close() for 1.53 s\n");
}

TEST(SocketLeak, UnreadBytesWarnOfTheReset) {
  SocketLeak leak = close_wait_leak();
  leak.recv_q = 12;
  EXPECT_NE(sockdrill::describe_leak(leak).find(
                "12 bytes are unread, so closing it now sends a reset"),
            std::string::npos);
}

TEST(SocketLeak, ALeftBehindListenerHasNoRemoteAndSaysWhenTheCommandExited) {
  SocketLeak leak;
  leak.kind = LeakKind::left_behind;
  leak.pid = 77;
  leak.cmdline = "python3 -m http.server";
  leak.fd = 3;
  leak.state = TcpState::LISTEN;
  leak.local = "0.0.0.0:8000";
  leak.held_ms = 900;
  leak.command_exit_ms = 2100;
  EXPECT_EQ(sockdrill::describe_leak(leak),
            "left behind: pid 77 (python3 -m http.server), fd 3\n"
            "  0.0.0.0:8000, LISTEN for 0.90 s, recv-q 0, send-q 0\n"
            "  the command exited at 2.10 s; this process outlived it and still holds the socket\n");
  EXPECT_EQ(sockdrill::leak_kind_name(LeakKind::left_behind), "left_behind");
}

TEST(SocketLeak, UnreadDataLeavesOutTheFinOnceThePeerClosed) {
  using sockdrill::unread_data_bytes;
  EXPECT_EQ(unread_data_bytes(TcpState::CLOSE_WAIT, 1), 0u) << "only the FIN: no data unread";
  EXPECT_EQ(unread_data_bytes(TcpState::CLOSE_WAIT, 4), 3u);
  EXPECT_EQ(unread_data_bytes(TcpState::CLOSE_WAIT, 0), 0u) << "the end of the stream was read";
  EXPECT_EQ(unread_data_bytes(TcpState::LAST_ACK, 2), 1u);
  EXPECT_EQ(unread_data_bytes(TcpState::ESTABLISHED, 4), 4u) << "no FIN yet: all of it is data";
}
