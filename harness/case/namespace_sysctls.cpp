// Which net.* sysctls a case's own network namespace can set, looked up in a fresh namespace.
#include "harness/case/namespace_sysctls.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>

namespace sockdrill {
namespace {

std::string path_of(const std::string& name) {
  std::string path = "/proc/sys/" + name;
  std::replace(path.begin() + 10, path.end(), '.', '/');
  return path;
}

// 'w' writable file, 'r' read-only file, 'd' folder, '-' absent.
char look(const std::string& name) {
  struct stat st {};
  if (::stat(path_of(name).c_str(), &st) != 0) return '-';
  if (S_ISDIR(st.st_mode)) return 'd';
  return (st.st_mode & S_IWUSR) ? 'w' : 'r';
}

// The same look from inside a fresh network namespace; empty when none could be made.
std::string look_from_a_namespace(const std::vector<std::string>& names) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return "";
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return "";
  }
  if (child == 0) {
    int flags = CLONE_NEWNET | (::geteuid() == 0 ? 0 : CLONE_NEWUSER);
    if (::unshare(flags) != 0) ::_exit(1);
    std::string seen;
    for (auto& n : names) seen += look(n);
    const ssize_t written = ::write(fds[1], seen.data(), seen.size());
    ::_exit(written == static_cast<ssize_t>(seen.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string seen(names.size(), '?');
  std::size_t got = 0;
  for (ssize_t n; got < seen.size() && (n = ::read(fds[0], seen.data() + got, seen.size() - got)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (got != seen.size() || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return "";
  return seen;
}

}  // namespace

std::map<std::string, SysctlPlace> sysctl_places(const std::vector<std::string>& names) {
  static std::mutex mutex;
  static std::map<std::string, SysctlPlace> known;
  std::lock_guard lock(mutex);
  std::vector<std::string> unknown;
  for (auto& n : names)
    if (!known.count(n)) unknown.push_back(n);
  if (!unknown.empty()) {
    const std::string inside = look_from_a_namespace(unknown);
    for (std::size_t i = 0; i < unknown.size(); ++i) {
      const char host = look(unknown[i]);
      const char ns = inside.empty() ? host : inside[i];
      SysctlPlace place = SysctlPlace::settable;
      if (host == '-' && ns == '-') place = SysctlPlace::missing;
      else if (host == 'd' || ns == 'd') place = SysctlPlace::group;
      else if (ns == '-') place = SysctlPlace::host_only;
      else if (ns == 'r') place = SysctlPlace::read_only;
      known[unknown[i]] = place;
    }
  }
  std::map<std::string, SysctlPlace> out;
  for (auto& n : names) out[n] = known.at(n);
  return out;
}

}  // namespace sockdrill
