// The TCP sockets this process holds: its descriptors matched by inode to the kernel's table.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "harness/observe/sock_diag.hpp"

namespace sockdrill::testing::detail {

struct HeldSocket {
  int fd = -1;  // the lowest descriptor of the socket when it has several (dup)
  SocketRecord record;
};

// Where the leak check reads sockets from: the kernel (KernelHeldSockets) or a test's script.
class HeldSocketSource {
 public:
  virtual ~HeldSocketSource() = default;
  // The inode of every socket descriptor the process holds, of any family.
  virtual std::vector<std::uint32_t> socket_inodes() = 0;
  // The TCP sockets of the process's network namespace, in a state of `state_mask` (bits of
  // tcp_state_bit), that it holds a descriptor of. Throws std::system_error when the kernel's
  // table cannot be read.
  virtual std::vector<HeldSocket> held_tcp_sockets(std::uint32_t state_mask) = 0;
};

// This process's descriptors from /proc/self/fd, its namespace's TCP table from sock_diag.
class KernelHeldSockets final : public HeldSocketSource {
 public:
  std::vector<std::uint32_t> socket_inodes() override;
  std::vector<HeldSocket> held_tcp_sockets(std::uint32_t state_mask) override;

 private:
  std::unique_ptr<SockDiag> diag_;  // opened at the first read, kept for every later one
  std::vector<SocketRecord> records_;
};

}  // namespace sockdrill::testing::detail
