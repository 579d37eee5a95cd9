// Waiting on the guarded command with sigtimedwait, reaping every child, ending the survivors.
#include "harness/guard/command_child.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <unordered_set>

namespace sockdrill::guard {

void CommandChild::wait_until(double until_ms) {
  for (;;) {
    reap();
    if (!done_ && to_forward_ >= 0) {
      ::kill(pid_, to_forward_);
      to_forward_ = -1;
    }
    const double left = until_ms - clock_.now_ms();
    if (left <= 0) return;
    timespec ts{static_cast<time_t>(left / 1000), static_cast<long>(std::fmod(left, 1000.0) * 1e6)};
    siginfo_t info;
    const int sig = ::sigtimedwait(&waited_, &info, &ts);
    if (sig == SIGCHLD) {
      reap();
      if (done_) return;
    } else if (sig == SIGTERM || sig == SIGHUP) {
      to_forward_ = sig;
    }
  }
}

void CommandChild::reap() {
  int status;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid != pid_) continue;
    done_ = true;
    exit_ms_ = clock_.now_ms();
    if (WIFSIGNALED(status)) {
      signal_ = WTERMSIG(status);
      exit_code_ = 128 + WTERMSIG(status);
    } else {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
  }
}

std::vector<pid_t> CommandChild::end_all(WatchedTree& tree) {
  std::vector<pid_t> ended;
  std::unordered_set<pid_t> seen;
  for (int round = 0; round < 50; ++round) {  // bounded: a fork bomb does not hold guard forever
    tree.refresh();
    if (tree.members().empty()) break;
    for (pid_t pid : tree.members()) {
      ::kill(pid, SIGKILL);
      if (seen.insert(pid).second && (pid != pid_ || !done_)) ended.push_back(pid);
    }
    ::usleep(2000);
    reap();
  }
  reap();
  return ended;
}

}  // namespace sockdrill::guard
