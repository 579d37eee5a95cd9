// TCP states as the kernel numbers them (include/net/tcp_states.h), with the format's names.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sockdrill {

enum class TcpState : std::uint8_t {
  ESTABLISHED = 1,
  SYN_SENT = 2,
  SYN_RECV = 3,
  FIN_WAIT1 = 4,
  FIN_WAIT2 = 5,
  TIME_WAIT = 6,
  CLOSE = 7,
  CLOSE_WAIT = 8,
  LAST_ACK = 9,
  LISTEN = 10,
  CLOSING = 11,
};

inline constexpr std::size_t kTcpStateSlots = 12;  // index by the kernel number; slot 0 unused
inline constexpr std::array<TcpState, 11> kAllTcpStates = {
    TcpState::LISTEN,    TcpState::SYN_SENT,   TcpState::SYN_RECV,  TcpState::ESTABLISHED,
    TcpState::FIN_WAIT1, TcpState::FIN_WAIT2,  TcpState::CLOSE_WAIT, TcpState::CLOSING,
    TcpState::LAST_ACK,  TcpState::TIME_WAIT,  TcpState::CLOSE};

std::string_view tcp_state_name(TcpState s);
std::optional<TcpState> tcp_state_from_name(std::string_view name);
inline std::uint32_t tcp_state_bit(TcpState s) { return 1u << static_cast<unsigned>(s); }

}  // namespace sockdrill
