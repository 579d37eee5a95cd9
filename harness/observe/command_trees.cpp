// The process trees of `command` peers: which sockets their processes hold, and ending them.
#include "harness/observe/command_trees.hpp"

#include <signal.h>
#include <unistd.h>

#include "harness/observe/process_tree.hpp"

namespace sockdrill {

void CommandTrees::scan(const std::vector<CommandProcess>& commands, Attribution& attribution) {
  if (commands.empty()) return;
  ++scans_;
  sockets_held_ = 0;
  auto procs = read_processes();
  for (const CommandProcess& c : commands) {
    auto& members = members_[c.peer];
    // Members seen before that still live (same start time) root the tree too.
    std::vector<pid_t> roots;
    if (!c.exited && c.pid > 0) roots.push_back(c.pid);
    for (auto it = members.begin(); it != members.end();) {
      auto found = procs.find(it->first);
      if (found == procs.end() || found->second.start_ticks != it->second) {
        it = members.erase(it);
      } else {
        roots.push_back(it->first);
        ++it;
      }
    }
    if (roots.empty()) continue;
    inodes_.clear();
    for (pid_t pid : process_tree(roots, procs)) {
      members.emplace(pid, procs[pid].start_ticks);
      socket_inodes_of(pid, inodes_);
    }
    for (std::uint32_t inode : inodes_) attribution.claim_inode(c.peer, inode);
    sockets_held_ += inodes_.size();
  }
}

void CommandTrees::kill_all(const std::vector<CommandProcess>& commands, Attribution& attribution) {
  if (commands.empty()) return;
  scan(commands, attribution);
  for (auto& [peer, members] : members_)
    for (auto& [pid, ticks] : members)
      if (pid != ::getpid()) ::kill(pid, SIGKILL);
}

}  // namespace sockdrill
