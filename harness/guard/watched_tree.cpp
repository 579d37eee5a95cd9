// guard's process tree, read from /proc: its members, their sockets, and who they were.
#include "harness/guard/watched_tree.hpp"

#include "harness/observe/process_tree.hpp"

namespace sockdrill::guard {

void WatchedTree::refresh() {
  const auto procs = read_processes();
  std::vector<pid_t> tree = process_tree({self_}, procs);
  members_.clear();
  for (pid_t pid : tree)
    if (pid != self_) members_.push_back(pid);
  std::unordered_set<std::size_t> live;
  for (pid_t pid : members_) {
    const std::uint64_t start = procs.at(pid).start_ticks;
    auto it = index_.find(pid);
    if (it == index_.end() || it->second.first != start) {
      WatchedProcess p;
      p.pid = pid;
      p.cmdline = command_line_of(pid);
      index_[pid] = {start, processes_.size()};
      processes_.push_back(std::move(p));
      it = index_.find(pid);
    } else {
      // Read again: a process seen between fork and exec (or a shim that exec'd the real
      // program) has another command line now. Gone meanwhile: keep the last one read.
      std::string now = command_line_of(pid);
      if (!now.empty()) processes_[it->second.second].cmdline = std::move(now);
    }
    live.insert(it->second.second);
  }
  for (std::size_t i = 0; i < processes_.size(); ++i) processes_[i].alive = live.count(i) > 0;
}

std::unordered_map<std::uint32_t, Holder> WatchedTree::holders() {
  std::unordered_map<std::uint32_t, Holder> out;
  std::vector<SocketDescriptor> descriptors;
  for (pid_t pid : members_) {
    descriptors.clear();
    socket_descriptors_of(pid, descriptors);
    for (const SocketDescriptor& d : descriptors) {
      if (out.count(d.inode)) continue;
      out[d.inode] = Holder{pid, d.fd, {}};  // its command line: read when it matters
    }
  }
  return out;
}

void WatchedTree::note_tcp_holder(pid_t pid) { process(pid).held_tcp = true; }

std::string WatchedTree::command_line(pid_t pid) {
  std::string now = command_line_of(pid);
  if (now.empty()) return process(pid).cmdline;
  process(pid).cmdline = now;
  return now;
}

WatchedProcess& WatchedTree::process(pid_t pid) {
  auto it = index_.find(pid);
  if (it == index_.end()) {
    // Not seen by refresh() (it was born since): noted now.
    WatchedProcess p;
    p.pid = pid;
    p.cmdline = command_line_of(pid);
    index_[pid] = {0, processes_.size()};
    processes_.push_back(std::move(p));
    return processes_.back();
  }
  return processes_[it->second.second];
}

}  // namespace sockdrill::guard
