// Which CLOSE_WAIT sockets have lasted past the settle time: guard's leak rule, without the kernel.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/socket_leak.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill::guard {

// Who holds a socket: a process of the watched tree and its descriptor.
struct Holder {
  pid_t pid = 0;
  int fd = -1;
  std::string cmdline;
};

// Fed one sample of the CLOSE_WAIT sockets at a time. A socket counts as a leak once two
// samples at least `settle_ms` apart both saw it in CLOSE_WAIT (so a socket closed within the
// settle time is never one) and a process of the tree held it at the later one. The time it is
// credited with is that of the first sample that saw it: the peer's FIN came at most one
// sample interval before.
class CloseWaitTracker {
 public:
  explicit CloseWaitTracker(double settle_ms) : settle_ms_(settle_ms) {}

  // One sample at `now_ms`: `close_wait` holds every socket in CLOSE_WAIT then (others are
  // ignored). Sockets no longer in it are forgotten (a leak already found stays). Returns the
  // inodes of sockets that have now lasted the settle time and whose holder is not known yet.
  std::vector<std::uint32_t> sample(double now_ms, const std::vector<SocketRecord>& close_wait);

  // After sample(): `inode` is held by `holder` (a live process of the tree): a leak from now on.
  void held_by(std::uint32_t inode, const Holder& holder);

  // The leaks found so far, in the order they were found, with held_ms up to their last sample.
  const std::vector<SocketLeak>& leaks() const { return leaks_; }

 private:
  struct Tracked {
    double first_ms = 0;  // the first sample that saw it in CLOSE_WAIT
    std::uint32_t seen_in_sample = 0;
    int leak = -1;  // index in leaks_
  };
  // A socket of this sample that lasted the settle time, waiting for held_by().
  struct Candidate {
    std::uint64_t cookie = 0;
    SocketLeak leak;
  };
  double settle_ms_;
  std::uint32_t samples_ = 0;
  std::unordered_map<std::uint64_t, Tracked> by_cookie_;
  std::unordered_map<std::uint32_t, Candidate> candidates_;  // this sample's, by inode
  std::vector<SocketLeak> leaks_;
};

}  // namespace sockdrill::guard
