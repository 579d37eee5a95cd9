// One case in a runner process of its own: started, watched, stopped, its record read back.
#include "harness/cli/runner_process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <fcntl.h>
#include <sys/wait.h>

#include <boost/asio.hpp>
#include <cerrno>
#include <cstring>

#include "common/clock.hpp"
#include "common/utf8.hpp"
#include "harness/run/runner_main.hpp"
#include "reports/record_json.hpp"

namespace asio = boost::asio;

namespace sockdrill {

volatile std::sig_atomic_t g_interrupted = 0;

namespace {

std::string signal_name(int signal) {
  const char* abbrev = ::sigabbrev_np(signal);
  return abbrev ? abbrev : std::to_string(signal);
}

// The runner: a fork of this process that keeps the validated case in memory (nothing is
// parsed again) and never comes back to the controller's code. It dies with the controller,
// even if that was killed between fork() and prctl().
pid_t fork_runner(const CaseSpec& spec, const RunOptions& options, int out_fd, int err_fd,
                  int close_in_child[2]) {
  const pid_t controller = ::getpid();
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != controller) ::_exit(125);
  // The controller's signal handlers and mask are its own business.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD}) ::signal(sig, SIG_DFL);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) ::dup2(null, STDIN_FILENO);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  for (int i = 0; i < 2; ++i) ::close(close_in_child[i]);
  ::_exit(runner_main(spec, options));
}

reports::CaseRecord start_failed(const CaseSpec& spec, const std::string& file, int err) {
  return reports::error_case(spec.name, file, reports::reason_code::harness,
                             std::string("cannot start the case runner: ") + std::strerror(err));
}

}  // namespace

reports::CaseRecord run_in_runner(asio::io_context& ctx, asio::signal_set& signals,
                                  const CaseSpec& spec, const RunOptions& options) {
  const std::int64_t started = monotonic_ns();
  const std::string shown_file = valid_utf8(spec.file.string());
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return start_failed(spec, shown_file, errno);
  if (::pipe2(err, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(out[0]);
    ::close(out[1]);
    return start_failed(spec, shown_file, e);
  }
  int read_ends[2] = {out[0], err[0]};
  const pid_t runner = fork_runner(spec, options, out[1], err[1], read_ends);
  ::close(out[1]);
  ::close(err[1]);
  if (runner < 0) {
    const int e = errno;
    ::close(out[0]);
    ::close(err[0]);
    return start_failed(spec, shown_file, e);
  }
  asio::readable_pipe out_pipe(ctx, out[0]), err_pipe(ctx, err[0]);
  std::string out_text, err_text;
  auto stop_runner = [runner] { ::kill(runner, SIGKILL); };

  bool timed_out = false;
  int pending = 2;  // stdout and stderr: both reach EOF only when every case process is gone
  auto done_one = [&] {
    if (--pending == 0) ctx.stop();
  };
  asio::async_read(out_pipe, asio::dynamic_buffer(out_text),
                   [&](boost::system::error_code, std::size_t) { done_one(); });
  asio::async_read(err_pipe, asio::dynamic_buffer(err_text),
                   [&](boost::system::error_code, std::size_t) { done_one(); });
  // A backstop beyond the runner's own time limit: the runner enforces timeout_ms itself.
  asio::steady_timer backstop(ctx, std::chrono::milliseconds(spec.timeout_ms + 15000));
  backstop.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    timed_out = true;
    stop_runner();  // the kernel then tears the case's namespaces down
  });
  // Interrupted: the runner is asked to end the case and write its record (SIGTERM); one that
  // takes longer than a few seconds is killed.
  asio::steady_timer grace(ctx);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    g_interrupted = signal;
    ::kill(runner, SIGTERM);
    grace.expires_after(std::chrono::seconds(3));
    grace.async_wait([&](boost::system::error_code e) {
      if (!e) stop_runner();
    });
  });
  ctx.restart();
  ctx.run();
  backstop.cancel();
  grace.cancel();
  signals.cancel();
  ctx.restart();
  ctx.poll();
  int status = 0;  // its pipes are closed: it has exited or is exiting
  while (::waitpid(runner, &status, 0) < 0 && errno == EINTR) {
  }
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

  // The runner's record, or an error case in its place: never a lost case.
  reports::CaseRecord record =
      out_text.empty()
          ? reports::error_case(spec.name, shown_file, reports::reason_code::harness,
                                "the case runner ended with status " + std::to_string(exit_code) +
                                    " without a report")
          : reports::case_from_json_text(out_text);
  if (g_interrupted) {
    record.outcome = {reports::Verdict::error, std::string(reports::reason_code::interrupted),
                      "interrupted by SIG" + signal_name(g_interrupted) +
                          ": the case was stopped and its namespaces removed"};
  } else if (timed_out) {
    record.outcome = {reports::Verdict::error, std::string(reports::reason_code::timeout),
                      "the case runner did not finish within timeout_ms + 15 s and was killed"};
  }
  record.runner_stderr = valid_utf8(err_text);
  if (record.duration_ms <= 0) record.duration_ms = static_cast<double>(monotonic_ns() - started) / 1e6;
  record.name = spec.name;
  if (record.file.empty()) record.file = shown_file;
  return record;
}

}  // namespace sockdrill
