// Reads this process's socket descriptors and its namespace's TCP table, and joins them by inode.
#include "held_sockets.hpp"

#include <unistd.h>

#include <unordered_map>

#include "harness/observe/process_tree.hpp"

namespace sockdrill::testing::detail {

std::vector<std::uint32_t> KernelHeldSockets::socket_inodes() {
  std::vector<std::uint32_t> inodes;
  socket_inodes_of(::getpid(), inodes);
  return inodes;
}

std::vector<HeldSocket> KernelHeldSockets::held_tcp_sockets(std::uint32_t state_mask) {
  if (!diag_) diag_ = std::make_unique<SockDiag>();
  // A socket opened or closed between the two reads is only missed until the next poll:
  // inodes are never reused while the system runs, so no record is matched to another socket.
  std::vector<SocketDescriptor> descriptors;
  socket_descriptors_of(::getpid(), descriptors);
  std::unordered_map<std::uint32_t, int> fd_of_inode;
  for (const SocketDescriptor& d : descriptors) {
    auto [it, added] = fd_of_inode.emplace(d.inode, d.fd);
    if (!added && d.fd < it->second) it->second = d.fd;
  }
  diag_->dump(state_mask, records_);
  std::vector<HeldSocket> held;
  for (const SocketRecord& record : records_) {
    if (record.inode == 0) continue;  // TIME_WAIT and orphans: nobody holds them any more
    auto it = fd_of_inode.find(record.inode);
    if (it != fd_of_inode.end()) held.push_back({it->second, record});
  }
  return held;
}

}  // namespace sockdrill::testing::detail
