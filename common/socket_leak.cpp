// The words for a leaked socket: one place, so guard's stderr and a GoogleTest failure agree.
#include "common/socket_leak.hpp"

#include <cstdio>

namespace sockdrill {

std::string_view leak_kind_name(LeakKind kind) {
  switch (kind) {
    case LeakKind::close_wait: return "close_wait";
    case LeakKind::left_behind: return "left_behind";
    case LeakKind::still_open: return "still_open";
  }
  return "close_wait";
}

std::uint32_t unread_data_bytes(TcpState state, std::uint32_t rqueue) {
  const bool fin_received = state == TcpState::CLOSE_WAIT || state == TcpState::CLOSING ||
                            state == TcpState::LAST_ACK;
  return fin_received && rqueue > 0 ? rqueue - 1 : rqueue;
}

std::uint32_t unacked_data_bytes(TcpState state, std::uint32_t wqueue) {
  const bool control_unacked = state == TcpState::SYN_SENT || state == TcpState::FIN_WAIT1 ||
                               state == TcpState::CLOSING || state == TcpState::LAST_ACK;
  return control_unacked && wqueue > 0 ? wqueue - 1 : wqueue;
}

namespace {

std::string seconds(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", ms / 1000.0);
  return text;
}

std::string headline(const SocketLeak& leak) {
  switch (leak.kind) {
    case LeakKind::close_wait: return "CLOSE_WAIT leak";
    case LeakKind::left_behind: return "left behind";
    case LeakKind::still_open: return "still open after the test";
  }
  return "leak";
}

std::string meaning(const SocketLeak& leak) {
  switch (leak.kind) {
    case LeakKind::close_wait: {
      // "did not ... for": the program may close it later; the leak is how long it waited.
      std::string text = "the peer closed at " + seconds(leak.since_ms) +
                         "; the program did not call close() for " + seconds(leak.held_ms);
      if (leak.recv_q > 0)
        text += "; " + std::to_string(leak.recv_q) +
                " bytes are unread, so closing it now sends a reset";
      return text;
    }
    case LeakKind::left_behind:
      return "the command exited" +
             (leak.command_exit_ms ? " at " + seconds(*leak.command_exit_ms) : std::string()) +
             "; this process outlived it and still holds the socket";
    case LeakKind::still_open:
      return "the test opened it and did not close it";
  }
  return {};
}

}  // namespace

std::string describe_leak(const SocketLeak& leak) {
  std::string text = headline(leak) + ": pid " + std::to_string(leak.pid);
  if (!leak.cmdline.empty()) text += " (" + leak.cmdline + ")";
  text += ", fd " + std::to_string(leak.fd) + "\n  " + leak.local;
  if (!leak.remote.empty()) text += " -> " + leak.remote;
  text += ", " + std::string(tcp_state_name(leak.state)) + " for " + seconds(leak.held_ms) +
          ", recv-q " + std::to_string(leak.recv_q) + ", send-q " + std::to_string(leak.send_q) +
          "\n  " + meaning(leak) + "\n";
  return text;
}

}  // namespace sockdrill
