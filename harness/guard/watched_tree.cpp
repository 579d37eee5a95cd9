// guard's process tree, read from /proc: its members, their sockets, and who they were.
#include "harness/guard/watched_tree.hpp"

#include "harness/observe/process_tree.hpp"

namespace sockdrill::guard {
namespace {

// A process that exited (a zombie, or ended meanwhile) reads as "" or "[comm]": what was read
// while it ran says more.
void keep_better(std::string& known, std::string now) {
  const bool only_comm = now.empty() || now.front() == '[';
  if (!only_comm || known.empty()) known = std::move(now);
}

}  // namespace

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
      keep_better(processes_[it->second.second].cmdline, command_line_of(pid));
    }
    live.insert(it->second.second);
  }
  for (std::size_t i = 0; i < processes_.size(); ++i) processes_[i].alive = live.count(i) > 0;
}

std::unordered_map<std::uint32_t, std::vector<Holder>> WatchedTree::holders() {
  std::unordered_map<std::uint32_t, std::vector<Holder>> out;
  std::vector<SocketDescriptor> descriptors;
  for (pid_t pid : members_) {
    descriptors.clear();
    socket_descriptors_of(pid, descriptors);
    for (const SocketDescriptor& d : descriptors)
      out[d.inode].push_back(Holder{pid, d.fd, {}});  // its command line: read when it matters
  }
  return out;
}

void WatchedTree::note_tcp_holder(pid_t pid) { process(pid).held_tcp = true; }

std::string WatchedTree::command_line(pid_t pid) {
  std::string& known = process(pid).cmdline;
  keep_better(known, command_line_of(pid));
  return known;
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
