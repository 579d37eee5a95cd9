// Which processes hold which sockets, from /proc/PID/fd.
#include "harness/field/socket_owners.hpp"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cstdlib>

#include "harness/observe/process_tree.hpp"

namespace sockdrill::field {
namespace {

std::vector<pid_t> every_process() {
  std::vector<pid_t> pids;
  DIR* dir = ::opendir("/proc");
  if (!dir) return pids;
  while (dirent* e = ::readdir(dir)) {
    bool digits = e->d_name[0] != '\0';
    for (const char* c = e->d_name; *c; ++c) digits = digits && std::isdigit(static_cast<unsigned char>(*c));
    if (digits) pids.push_back(static_cast<pid_t>(std::atoi(e->d_name)));
  }
  ::closedir(dir);
  std::sort(pids.begin(), pids.end());
  return pids;
}

}  // namespace

SocketOwners read_socket_owners(const std::vector<pid_t>& only,
                                const std::unordered_set<std::uint32_t>& wanted) {
  SocketOwners owners;
  std::vector<pid_t> pids = only.empty() ? every_process() : only;
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  std::vector<SocketDescriptor> descriptors;
  for (pid_t pid : pids) {
    descriptors.clear();
    errno = 0;
    if (!socket_descriptors_of(pid, descriptors)) {
      if (errno != ENOENT) ++owners.unreadable;  // ENOENT: it ended meanwhile
      continue;
    }
    ++owners.processes_read;
    for (const SocketDescriptor& d : descriptors) {
      if (!wanted.count(d.inode)) continue;
      std::vector<pid_t>& holders = owners.holders[d.inode];
      if (holders.empty() || holders.back() != pid) holders.push_back(pid);  // once per process
    }
  }
  return owners;
}

}  // namespace sockdrill::field
