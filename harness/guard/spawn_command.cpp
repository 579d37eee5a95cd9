// fork + execvp, with a close-on-exec pipe that carries exec's errno back when it fails.
#include "harness/guard/spawn_command.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace sockdrill::guard {

Spawned spawn_command(const std::vector<std::string>& argv, const sigset_t& unblock) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return {-1, errno};
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(report[0]);
    ::close(report[1]);
    return {-1, e};
  }
  if (pid == 0) {
    ::sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
    ::execvp(args[0], args.data());
    const int e = errno;
    (void)!::write(report[1], &e, sizeof e);
    ::_exit(127);
  }
  ::close(report[1]);
  int e = 0;
  ssize_t n;
  do n = ::read(report[0], &e, sizeof e);
  while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == sizeof e) {  // exec failed: the child is exiting
    ::waitpid(pid, nullptr, 0);
    return {-1, e};
  }
  return {pid, 0};
}

}  // namespace sockdrill::guard
