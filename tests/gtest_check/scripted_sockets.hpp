// Test-only: a HeldSocketSource whose sockets a test sets poll by poll, or that refuses reads.
#pragma once
#include <cerrno>
#include <functional>
#include <system_error>
#include <vector>

#include "gtest/held_sockets.hpp"

namespace sockdrill::testing::detail {

// A socket of 127.0.0.1:`local_port` -> 127.0.0.1:`remote_port` in `state`, held as `fd`.
inline HeldSocket scripted_socket(int fd, std::uint32_t inode, TcpState state,
                                  std::uint16_t local_port = 40000,
                                  std::uint16_t remote_port = 8080) {
  HeldSocket held;
  held.fd = fd;
  held.record.family = 2;  // AF_INET
  held.record.state = state;
  held.record.src = {127, 0, 0, 1};
  held.record.dst = {127, 0, 0, 1};
  held.record.sport = local_port;
  held.record.dport = remote_port;
  held.record.inode = inode;
  return held;
}

class ScriptedSockets final : public HeldSocketSource {
 public:
  // What the process holds now; `next_poll`, when set, is called before each read of the table
  // with the number of reads so far, to change it over the polls.
  std::vector<HeldSocket> held;
  std::function<void(int polls)> next_poll;
  bool refuse = false;  // every read throws, as when netlink is refused
  int polls = 0;

  std::vector<std::uint32_t> socket_inodes() override {
    std::vector<std::uint32_t> inodes;
    for (const HeldSocket& h : held) inodes.push_back(h.record.inode);
    return inodes;
  }
  std::vector<HeldSocket> held_tcp_sockets(std::uint32_t state_mask) override {
    if (refuse)
      throw std::system_error(EPERM, std::generic_category(), "sock_diag: scripted refusal");
    if (next_poll) next_poll(polls);
    ++polls;
    std::vector<HeldSocket> in_states;
    for (const HeldSocket& h : held)
      if (state_mask & tcp_state_bit(h.record.state)) in_states.push_back(h);
    return in_states;
  }
};

}  // namespace sockdrill::testing::detail
