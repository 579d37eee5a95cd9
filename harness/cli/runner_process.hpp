// One case in a runner process of its own: started, watched, stopped, its record read back.
#pragma once
#include <sys/types.h>

#include <array>
#include <csignal>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/asio/steady_timer.hpp>

#include "harness/case/case_model.hpp"
#include "harness/run/runner.hpp"
#include "reports/record.hpp"

namespace sockdrill {

// The signal that stopped the run (SIGINT, SIGTERM, SIGHUP), 0 while none came.
extern volatile std::sig_atomic_t g_interrupted;

// "SIGTERM" for SIGTERM; the number for a signal without a name.
std::string signal_name(int signal);

// Runs `spec` in a runner process (a fork of this one, harness/run/runner_main.hpp), watched
// on `ctx` (its stdout and stderr pipes, a backstop timer) without blocking it, so that one
// loop drives any number of runners. `done` is called once, from `ctx`, with the case's
// record; it never loses the case: a runner that could not start, died or said nothing
// becomes an `error` record with the reason (and what it wrote on stderr). The runner dies
// with this process, even by SIGKILL; past timeout_ms + 15 s it is killed.
class RunnerProcess : public std::enable_shared_from_this<RunnerProcess> {
 public:
  using Done = std::function<void(reports::CaseRecord)>;

  // `spec` must outlive the runner. `close_in_child`: descriptors of this process the runner
  // must not keep (the pipes of the other runners).
  static std::shared_ptr<RunnerProcess> start(boost::asio::io_context& ctx, const CaseSpec& spec,
                                              RunOptions options, Done done,
                                              std::span<const int> close_in_child = {});

  // Asks the runner to end the case and write its record (SIGTERM); one that takes longer
  // than a few seconds is killed. The record then says the case was interrupted by `signal`.
  // A second call kills it at once.
  void interrupt(int signal);
  // This runner's read ends (for the next runner's `close_in_child`); -1 once closed.
  std::array<int, 2> read_fds();

  RunnerProcess(boost::asio::io_context& ctx, const CaseSpec& spec, RunOptions options, Done done);

 private:
  void launch(std::span<const int> close_in_child);
  void pipe_closed();
  void reap();
  void finish(int exit_code);
  void finish_with(reports::CaseRecord record);

  boost::asio::io_context& ctx_;
  const CaseSpec& spec_;
  RunOptions options_;
  Done done_;
  std::string shown_file_;
  std::int64_t started_ns_ = 0;
  pid_t pid_ = -1;
  boost::asio::readable_pipe out_pipe_, err_pipe_;
  std::string out_text_, err_text_;
  int pipes_open_ = 2;  // stdout and stderr: both reach EOF only when every case process is gone
  boost::asio::steady_timer backstop_, grace_, reap_retry_;
  bool timed_out_ = false;
  int interrupted_by_ = 0;
  bool finished_ = false;
};

}  // namespace sockdrill
