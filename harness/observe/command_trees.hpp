// The process trees of `command` peers: which sockets their processes hold, and ending them.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "harness/observe/attribution.hpp"

namespace sockdrill {

// A command peer as the sampler needs it.
struct CommandProcess {
  int peer = -1;   // index in the case
  pid_t pid = -1;  // the process the runner started
  bool exited = false;
};

class CommandTrees {
 public:
  // Claims, in `attribution`, the socket inode of every descriptor held by a process of each
  // command's tree. The tree is the command's process and all its descendants, plus members
  // seen before that still live: a daemonised child stays its command's after the command ended
  // and the runner (PID 1) adopted it.
  void scan(const std::vector<CommandProcess>& commands, Attribution& attribution);
  // SIGKILL to every process ever seen in a command's tree that still lives (after a last scan).
  void kill_all(const std::vector<CommandProcess>& commands, Attribution& attribution);
  // How many scans read the commands' descriptors so far (a sample's main cost at field size).
  std::uint64_t scans() const { return scans_; }
  // How many socket descriptors the last scan found in all commands' trees together.
  std::size_t sockets_held() const { return sockets_held_; }

 private:
  // Per peer index: the processes seen in its tree so far (pid -> start time).
  std::unordered_map<int, std::unordered_map<pid_t, std::uint64_t>> members_;
  std::vector<std::uint32_t> inodes_;  // reused between scans
  std::uint64_t scans_ = 0;
  std::size_t sockets_held_ = 0;
};

}  // namespace sockdrill
