// /proc scans for command peers: parent links and socket inodes.
#include "harness/observe/process_tree.hpp"

#include <dirent.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace sockdrill {
namespace {

bool all_digits(const char* s) {
  if (!*s) return false;
  for (; *s; ++s)
    if (*s < '0' || *s > '9') return false;
  return true;
}

// Reads /proc/PID/stat: "pid (comm) state ppid ... starttime(22) ...". comm may hold ')' and
// spaces, so fields are counted from the last ')'.
bool read_stat(const char* pid, ProcEntry& out) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%s/stat", pid);
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[1024];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  char* p = std::strrchr(buf, ')');
  if (!p) return false;
  ++p;  // fields from 3 (state) on, each after one space
  int field = 2;
  char* end = nullptr;
  while (*p && field < 22) {
    while (*p == ' ') ++p;
    ++field;
    if (field == 4) out.ppid = static_cast<pid_t>(std::strtol(p, &end, 10));
    if (field == 22) {
      out.start_ticks = std::strtoull(p, &end, 10);
      return true;
    }
    while (*p && *p != ' ') ++p;
  }
  return false;
}

}  // namespace

std::unordered_map<pid_t, ProcEntry> read_processes() {
  std::unordered_map<pid_t, ProcEntry> out;
  DIR* dir = ::opendir("/proc");
  if (!dir) return out;
  while (dirent* e = ::readdir(dir)) {
    if (!all_digits(e->d_name)) continue;
    ProcEntry entry;
    if (read_stat(e->d_name, entry)) out[static_cast<pid_t>(std::atoi(e->d_name))] = entry;
  }
  ::closedir(dir);
  return out;
}

std::vector<pid_t> process_tree(const std::vector<pid_t>& roots,
                                const std::unordered_map<pid_t, ProcEntry>& procs) {
  std::unordered_map<pid_t, std::vector<pid_t>> children;
  for (auto& [pid, entry] : procs) children[entry.ppid].push_back(pid);
  std::vector<pid_t> tree;
  std::unordered_map<pid_t, bool> seen;
  for (pid_t r : roots)
    if (procs.count(r) && !seen[r]) seen[r] = true, tree.push_back(r);
  for (std::size_t i = 0; i < tree.size(); ++i) {
    auto it = children.find(tree[i]);
    if (it == children.end()) continue;
    for (pid_t c : it->second)
      if (!seen[c]) seen[c] = true, tree.push_back(c);
  }
  return tree;
}

std::string command_line_of(pid_t pid, std::size_t limit) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/cmdline", static_cast<int>(pid));
  std::string text;
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buf[4096];
  ssize_t n;
  while (text.size() <= limit && (n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, n);
  ::close(fd);
  while (!text.empty() && text.back() == '\0') text.pop_back();
  for (char& c : text)
    if (c == '\0' || c == '\n') c = ' ';
  if (text.size() > limit) text = text.substr(0, limit) + "...";
  if (!text.empty()) return text;
  std::snprintf(path, sizeof path, "/proc/%d/comm", static_cast<int>(pid));
  fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return text;
  std::string comm(buf, static_cast<std::size_t>(n));
  while (!comm.empty() && comm.back() == '\n') comm.pop_back();
  return "[" + comm + "]";
}

std::vector<pid_t> process_ids() {
  std::vector<pid_t> pids;
  DIR* dir = ::opendir("/proc");
  if (!dir) return pids;
  while (dirent* e = ::readdir(dir))
    if (all_digits(e->d_name)) pids.push_back(static_cast<pid_t>(std::strtol(e->d_name, nullptr, 10)));
  ::closedir(dir);
  std::sort(pids.begin(), pids.end());
  return pids;
}

bool descriptor_numbers_of(pid_t pid, std::vector<int>& out) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/fd", static_cast<int>(pid));
  DIR* dir = ::opendir(path);
  if (!dir) return false;
  while (dirent* e = ::readdir(dir))
    if (all_digits(e->d_name)) out.push_back(static_cast<int>(std::strtol(e->d_name, nullptr, 10)));
  ::closedir(dir);
  return true;
}

bool socket_descriptors_among(pid_t pid, std::span<const int> fds, std::vector<SocketDescriptor>& out) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/fd", static_cast<int>(pid));
  const int dir = ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return errno != EACCES && errno != EPERM;  // it ended meanwhile: nothing held
  char name[16], target[64];
  bool refused = false;
  for (int fd : fds) {
    std::snprintf(name, sizeof name, "%d", fd);
    const ssize_t n = ::readlinkat(dir, name, target, sizeof target - 1);
    if (n < 0 && (errno == EACCES || errno == EPERM)) refused = true;
    if (n <= 8 || std::strncmp(target, "socket:[", 8) != 0) continue;
    target[n] = '\0';
    out.push_back({fd, static_cast<std::uint32_t>(std::strtoul(target + 8, nullptr, 10))});
  }
  ::close(dir);
  if (refused) errno = EACCES;
  return !refused;
}

bool socket_descriptors_of(pid_t pid, std::vector<SocketDescriptor>& out) {
  // A reused buffer: the runner reads every process of every command tree at every sample.
  thread_local std::vector<int> numbers;
  numbers.clear();
  if (!descriptor_numbers_of(pid, numbers)) return false;
  return socket_descriptors_among(pid, numbers, out);
}

void socket_inodes_of(pid_t pid, std::vector<std::uint32_t>& out) {
  // A reused buffer: this runs for every process of every command tree at every sample.
  thread_local std::vector<SocketDescriptor> descriptors;
  descriptors.clear();
  socket_descriptors_of(pid, descriptors);
  for (const SocketDescriptor& d : descriptors) out.push_back(d.inode);
}

}  // namespace sockdrill
