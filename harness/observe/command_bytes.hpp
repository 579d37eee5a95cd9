// Bytes moved by `command` peers, as the kernel counts them on their sockets (tcp_info).
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "harness/observe/attribution.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill {

// How much a peer's totals grew since the previous update.
struct ByteGrowth {
  int peer = -1;
  std::int64_t sent = 0;
  std::int64_t received = 0;
};

class CommandBytes {
 public:
  // Takes the byte counts of the command peers' sockets: `live` from a dump, `freed` from the
  // kernel's destroy notices (final counts of sockets gone since). `is_command[peer]` says which
  // peers are commands. Returns, per command peer whose totals grew, by how much.
  std::vector<ByteGrowth> update(const std::vector<SocketRecord>& live,
                                 const std::vector<SocketRecord>& freed, Attribution& attribution,
                                 const std::vector<bool>& is_command);

 private:
  struct SocketBytes {
    int peer = -1;
    std::int64_t sent = 0, received = 0;
  };
  void take(const SocketRecord& r, bool freed, Attribution& attribution,
            const std::vector<bool>& is_command);

  std::unordered_map<std::uint64_t, SocketBytes> by_cookie_;  // the last counts seen per socket
  std::vector<std::pair<std::int64_t, std::int64_t>> counted_;  // per peer: totals reported
};

}  // namespace sockdrill
