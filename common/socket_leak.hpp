// A socket a program should have closed, and how guard and the GoogleTest check describe it.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "common/tcp_state.hpp"

namespace sockdrill {

enum class LeakKind : std::uint8_t {
  close_wait,   // the peer closed; the process holding it is alive and never called close()
  left_behind,  // still held by a process that outlived the command (a server not stopped)
  still_open,   // GoogleTest strict mode: opened by a test and still open after it
};

// "close_wait", "left_behind", "still_open": the JSON report's `kind`.
std::string_view leak_kind_name(LeakKind kind);

struct SocketLeak {
  LeakKind kind = LeakKind::close_wait;
  pid_t pid = 0;
  std::string cmdline;  // the process's argv joined by spaces, as /proc/PID/cmdline gives it
  int fd = -1;
  TcpState state = TcpState::CLOSE_WAIT;
  std::string local;   // "127.0.0.1:4000" / "[::1]:4000"
  std::string remote;  // empty for a listener
  std::uint32_t recv_q = 0;  // unread data bytes, the peer's FIN not counted (LISTEN: the accept queue)
  std::uint32_t send_q = 0;  // unacknowledged bytes (LISTEN: the backlog)
  // Milliseconds since the watch began: when the socket was first known in `state` (for
  // CLOSE_WAIT, when the peer's FIN came, as closely as it could be told).
  double since_ms = 0;
  // How long it was held in that state, up to the report or the end of the holder.
  double held_ms = 0;
  // left_behind: when the command exited, in ms since the watch began.
  std::optional<double> command_exit_ms;
};

// The unread data of a socket whose sock_diag receive queue (idiag_rqueue) is `rqueue`. After the
// peer's FIN (CLOSE_WAIT, CLOSING, LAST_ACK) the kernel's count includes the FIN's sequence
// number until the program reads the end of the stream, which comes after every byte of data: a
// positive count there is the data plus 1 (`ss` shows Recv-Q 1 for a CLOSE_WAIT socket that
// received no data). Other states: `rqueue` itself.
std::uint32_t unread_data_bytes(TcpState state, std::uint32_t rqueue);
// The data written and not yet acknowledged, from the kernel's send queue (`wqueue`: sequence
// numbers written and not acknowledged), which also counts a SYN not yet acknowledged (SYN_SENT)
// and this side's FIN not yet acknowledged (FIN_WAIT1, CLOSING, LAST_ACK).
std::uint32_t unacked_data_bytes(TcpState state, std::uint32_t wqueue);

// Three lines, like a sanitizer's: what and who, where and how long, and what it means.
//   CLOSE_WAIT leak: pid 4242 (python3 leaky.py), fd 5
//     127.0.0.1:40112 -> 127.0.0.1:8080, CLOSE_WAIT for 1.53 s, recv-q 0, send-q 0
//     the peer closed at 0.21 s; the program did not call close() for 1.53 s
std::string describe_leak(const SocketLeak& leak);

}  // namespace sockdrill
