// Runs a doctor probe in a forked child, in fresh case namespaces when it needs them.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "harness/cli/doctor/probe.hpp"
#include "harness/run/pipe_text.hpp"

namespace sockdrill::doctor {
namespace {

// The child's answer on the pipe: "1" or "0", then the detail.
void answer(int fd, const ProbeResult& r) { write_whole(fd, (r.ok ? "1" : "0") + r.detail); }

}  // namespace

ProbeResult in_child(const std::function<ProbeResult()>& check) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {false, std::string("pipe: ") + std::strerror(errno)};
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {false, std::string("fork: ") + std::strerror(errno)};
  }
  if (pid == 0) {
    ::close(fds[0]);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ProbeResult r;
    try {
      r = check();
    } catch (const std::exception& e) {
      r = {false, e.what()};
    }
    answer(fds[1], r);
    ::_exit(0);
  }
  ::close(fds[1]);
  const std::string text = read_until_eof(fds[0]);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (text.empty())
    return {false, "the probe's process ended without an answer (" +
                       (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                            : "status " + std::to_string(WEXITSTATUS(status))) + ")"};
  return {text[0] == '1', text.substr(1)};
}

ProbeResult in_case_namespaces(const std::function<ProbeResult(const IsolationInfo&)>& check) {
  return in_child([&] {
    // The child becomes a case's runner: it waits here while its own child, inside, probes.
    const IsolationInfo info = enter_case_namespaces();
    prepare_case_namespace(info);
    return check(info);
  });
}

}  // namespace sockdrill::doctor
