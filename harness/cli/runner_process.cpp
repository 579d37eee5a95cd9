// One case in a runner process of its own: started, watched, stopped, its record read back.
#include "harness/cli/runner_process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <fcntl.h>
#include <sys/wait.h>

#include <boost/asio/read.hpp>
#include <cerrno>
#include <cstring>

#include "common/clock.hpp"
#include "common/utf8.hpp"
#include "harness/run/runner_main.hpp"
#include "reports/record_json.hpp"

namespace asio = boost::asio;

namespace sockdrill {

volatile std::sig_atomic_t g_interrupted = 0;

std::string signal_name(int signal) {
  const char* abbrev = ::sigabbrev_np(signal);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

namespace {

constexpr auto kGrace = std::chrono::seconds(3);
constexpr auto kBackstopBeyondTimeout = std::chrono::milliseconds(15000);
constexpr auto kReapRetry = std::chrono::milliseconds(2);

// The runner: a fork of this process that keeps the validated case in memory (nothing is
// parsed again) and never comes back to the controller's code. It dies with the controller,
// even if that was killed between fork() and prctl().
pid_t fork_runner(const CaseSpec& spec, const RunOptions& options, int out_fd, int err_fd,
                  std::span<const int> close_in_child) {
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
  for (int fd : close_in_child)
    if (fd > STDERR_FILENO) ::close(fd);
  ::_exit(runner_main(spec, options));
}

}  // namespace

RunnerProcess::RunnerProcess(asio::io_context& ctx, const CaseSpec& spec, RunOptions options,
                             Done done)
    : ctx_(ctx),
      spec_(spec),
      options_(std::move(options)),
      done_(std::move(done)),
      shown_file_(valid_utf8(spec.file.string())),
      started_ns_(monotonic_ns()),
      out_pipe_(ctx),
      err_pipe_(ctx),
      backstop_(ctx),
      grace_(ctx),
      reap_retry_(ctx) {}

std::shared_ptr<RunnerProcess> RunnerProcess::start(asio::io_context& ctx, const CaseSpec& spec,
                                                    RunOptions options, Done done,
                                                    std::span<const int> close_in_child) {
  auto runner = std::make_shared<RunnerProcess>(ctx, spec, std::move(options), std::move(done));
  runner->launch(close_in_child);
  return runner;
}

void RunnerProcess::launch(std::span<const int> close_in_child) {
  auto start_failed = [&](int err) {
    // Reported from the loop, as every other end: the caller's bookkeeping sees one path.
    asio::post(ctx_, [self = shared_from_this(), err] {
      self->finish_with(reports::error_case(
          self->spec_.name, self->shown_file_, reports::reason_code::harness,
          std::string("cannot start the case runner: ") + std::strerror(err)));
    });
  };
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return start_failed(errno);
  if (::pipe2(err, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(out[0]);
    ::close(out[1]);
    return start_failed(e);
  }
  std::vector<int> to_close(close_in_child.begin(), close_in_child.end());
  to_close.insert(to_close.end(), {out[0], err[0]});
  pid_ = fork_runner(spec_, options_, out[1], err[1], to_close);
  const int fork_errno = errno;
  ::close(out[1]);
  ::close(err[1]);
  if (pid_ < 0) {
    ::close(out[0]);
    ::close(err[0]);
    return start_failed(fork_errno);
  }
  out_pipe_.assign(out[0]);
  err_pipe_.assign(err[0]);
  auto self = shared_from_this();
  asio::async_read(out_pipe_, asio::dynamic_buffer(out_text_),
                   [self](boost::system::error_code, std::size_t) { self->pipe_closed(); });
  asio::async_read(err_pipe_, asio::dynamic_buffer(err_text_),
                   [self](boost::system::error_code, std::size_t) { self->pipe_closed(); });
  // A backstop beyond the runner's own time limit: the runner enforces timeout_ms itself.
  backstop_.expires_after(std::chrono::milliseconds(spec_.timeout_ms) + kBackstopBeyondTimeout);
  backstop_.async_wait([self](boost::system::error_code ec) {
    if (ec || self->finished_) return;
    self->timed_out_ = true;
    ::kill(self->pid_, SIGKILL);  // the kernel then tears the case's namespaces down
  });
}

std::array<int, 2> RunnerProcess::read_fds() {
  return {out_pipe_.is_open() ? out_pipe_.native_handle() : -1,
          err_pipe_.is_open() ? err_pipe_.native_handle() : -1};
}

void RunnerProcess::interrupt(int signal) {
  if (finished_ || pid_ < 0) return;
  if (interrupted_by_) {
    ::kill(pid_, SIGKILL);
    return;
  }
  interrupted_by_ = signal;
  ::kill(pid_, SIGTERM);
  grace_.expires_after(kGrace);
  grace_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec && !self->finished_) ::kill(self->pid_, SIGKILL);
  });
}

void RunnerProcess::pipe_closed() {
  if (--pipes_open_ == 0) reap();
}

// Its pipes are closed: it has exited or is about to. Waiting for it without blocking the loop.
void RunnerProcess::reap() {
  int status = 0;
  pid_t got;
  do got = ::waitpid(pid_, &status, WNOHANG);
  while (got < 0 && errno == EINTR);
  if (got == 0) {
    reap_retry_.expires_after(kReapRetry);
    reap_retry_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->reap();
    });
    return;
  }
  finish(got < 0 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

void RunnerProcess::finish(int exit_code) {
  // The runner's record, or an error case in its place: never a lost case.
  reports::CaseRecord record =
      out_text_.empty()
          ? reports::error_case(spec_.name, shown_file_, reports::reason_code::harness,
                                "the case runner ended with status " + std::to_string(exit_code) +
                                    " without a report")
          : reports::case_from_json_text(out_text_);
  if (interrupted_by_) {
    record.outcome = {reports::Verdict::error, std::string(reports::reason_code::interrupted),
                      "interrupted by " + signal_name(interrupted_by_) +
                          ": the case was stopped and its namespaces removed"};
  } else if (timed_out_) {
    record.outcome = {reports::Verdict::error, std::string(reports::reason_code::timeout),
                      "the case runner did not finish within timeout_ms + 15 s and was killed"};
  }
  record.runner_stderr = valid_utf8(err_text_);
  if (record.duration_ms <= 0)
    record.duration_ms = static_cast<double>(monotonic_ns() - started_ns_) / 1e6;
  record.name = spec_.name;
  if (record.file.empty()) record.file = shown_file_;
  finish_with(std::move(record));
}

void RunnerProcess::finish_with(reports::CaseRecord record) {
  finished_ = true;
  backstop_.cancel();
  grace_.cancel();
  reap_retry_.cancel();
  boost::system::error_code ignored;
  out_pipe_.close(ignored);
  err_pipe_.close(ignored);
  Done done = std::move(done_);
  done(std::move(record));
}

}  // namespace sockdrill
