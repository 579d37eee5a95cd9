// Names of TCP states, as the case format (docs/case-format.md) spells them.
#include "common/tcp_state.hpp"

namespace sockdrill {

std::string_view tcp_state_name(TcpState s) {
  switch (s) {
    case TcpState::ESTABLISHED: return "ESTABLISHED";
    case TcpState::SYN_SENT: return "SYN_SENT";
    case TcpState::SYN_RECV: return "SYN_RECV";
    case TcpState::FIN_WAIT1: return "FIN_WAIT1";
    case TcpState::FIN_WAIT2: return "FIN_WAIT2";
    case TcpState::TIME_WAIT: return "TIME_WAIT";
    case TcpState::CLOSE: return "CLOSE";
    case TcpState::CLOSE_WAIT: return "CLOSE_WAIT";
    case TcpState::LAST_ACK: return "LAST_ACK";
    case TcpState::LISTEN: return "LISTEN";
    case TcpState::CLOSING: return "CLOSING";
  }
  return "UNKNOWN";
}

std::optional<TcpState> tcp_state_from_name(std::string_view name) {
  for (TcpState s : kAllTcpStates)
    if (tcp_state_name(s) == name) return s;
  return std::nullopt;
}

}  // namespace sockdrill
