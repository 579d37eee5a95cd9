// Which processes hold which sockets: /proc/PID/fd read once for every process (or some).
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sockdrill::field {

struct SocketOwners {
  // A socket's inode -> the processes with a descriptor on it (each once, in pid order).
  std::unordered_map<std::uint32_t, std::vector<pid_t>> holders;
  std::uint64_t processes_read = 0;
  std::uint64_t unreadable = 0;  // processes whose descriptors this user may not list
};

// Reads the descriptors of every process /proc lists, or of `only` when it is not empty, and
// keeps the sockets among `wanted` (the inodes of interest: the namespace's TCP sockets).
SocketOwners read_socket_owners(const std::vector<pid_t>& only,
                                const std::unordered_set<std::uint32_t>& wanted);

}  // namespace sockdrill::field
