// The processes guard watches: every descendant of guard itself, which is their subreaper.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "harness/guard/close_wait_tracker.hpp"

namespace sockdrill::guard {

// A process seen in the tree, and what guard learned of it.
struct WatchedProcess {
  pid_t pid = 0;
  std::string cmdline;
  bool held_tcp = false;  // seen holding a TCP socket at some sample
  bool alive = true;      // still in the tree at the last refresh
};

// guard is the subreaper of everything it starts (or PID 1 of its own PID namespace): a
// daemonised descendant is re-parented to guard, not to init, so "the tree" is simply every
// descendant of guard's own process, at any time.
class WatchedTree {
 public:
  explicit WatchedTree(pid_t self) : self_(self) {}

  // Reads /proc again: which processes are below guard now.
  void refresh();
  const std::vector<pid_t>& members() const { return members_; }

  // Every holder of each socket descriptor of the members, by inode (several processes share
  // a socket after fork; the first found is the one a leak names); cmdlines are left empty
  // (see command_line()).
  std::unordered_map<std::uint32_t, std::vector<Holder>> holders();

  // A member's command line as it is now (after an exec too), or as last read if it is gone.
  std::string command_line(pid_t pid);

  // `pid` was seen holding a TCP socket.
  void note_tcp_holder(pid_t pid);

  // Every process seen in the tree, in the order it was first seen.
  const std::vector<WatchedProcess>& processes() const { return processes_; }

 private:
  WatchedProcess& process(pid_t pid);
  pid_t self_;
  std::vector<pid_t> members_;
  std::vector<WatchedProcess> processes_;
  // pid -> index in processes_, for the process now using that pid (start time tells reuse).
  std::unordered_map<pid_t, std::pair<std::uint64_t, std::size_t>> index_;
};

}  // namespace sockdrill::guard
