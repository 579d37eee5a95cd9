// One case in a runner process of its own: started, watched, stopped, its record read back.
#include "harness/run/runner_process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
#include <filesystem>
#include <optional>

#include "common/clock.hpp"
#include "common/utf8.hpp"
#include "harness/run/runner_main.hpp"
#include "reports/record_json.hpp"

namespace asio = boost::asio;
namespace bp = boost::process::v2;
namespace fs = std::filesystem;

namespace sockdrill {

volatile std::sig_atomic_t g_interrupted = 0;

namespace {

// In the child between fork and exec: die with the controller. The parent may already be gone
// (killed between fork and here): then the death signal would never come, so leave at once.
struct DieWithController {
  pid_t controller;
  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != controller) ::_exit(125);
    return {};
  }
};

std::string signal_name(int signal) {
  const char* abbrev = ::sigabbrev_np(signal);
  return abbrev ? abbrev : std::to_string(signal);
}

}  // namespace

reports::CaseRecord run_in_runner(asio::io_context& ctx, asio::signal_set& signals,
                                  const CaseSpec& spec, const std::string& peer_program) {
  const std::int64_t started = monotonic_ns();
  const std::string shown_file = valid_utf8(spec.file.string());
  asio::readable_pipe out_pipe(ctx), err_pipe(ctx);
  std::string out_text, err_text;
  std::optional<bp::process> runner;
  try {
    const fs::path exe = fs::read_symlink("/proc/self/exe");
    std::vector<std::string> args{kRunnerMode, spec.file.string(), spec.name, peer_program};
    for (auto& [name, value] : spec.defines) args.push_back(name + "=" + value);
    runner.emplace(ctx, exe.string(), args, bp::process_stdio{nullptr, out_pipe, err_pipe},
                   DieWithController{::getpid()});
  } catch (const std::exception& e) {
    return reports::error_case(spec.name, shown_file, reports::reason_code::harness,
                               std::string("cannot start the case runner: ") + e.what());
  }

  bool timed_out = false;
  int pending = 2;  // stdout and stderr: both reach EOF only when every case process is gone
  auto done_one = [&] {
    if (--pending == 0) ctx.stop();
  };
  asio::async_read(out_pipe, asio::dynamic_buffer(out_text),
                   [&](boost::system::error_code, std::size_t) { done_one(); });
  asio::async_read(err_pipe, asio::dynamic_buffer(err_text),
                   [&](boost::system::error_code, std::size_t) { done_one(); });
  // No async_wait on the runner's exit: Boost.Process may then block in wait4() on a spurious
  // wake-up while the runner blocks writing its report into a pipe nobody reads any more.
  // A backstop beyond the runner's own time limit: the runner enforces timeout_ms itself.
  asio::steady_timer backstop(ctx, std::chrono::milliseconds(spec.timeout_ms + 15000));
  backstop.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    timed_out = true;
    boost::system::error_code ignored;
    runner->terminate(ignored);  // SIGKILL: the kernel then tears the case's namespaces down
  });
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    g_interrupted = signal;
    boost::system::error_code ignored;
    runner->terminate(ignored);
  });
  ctx.restart();
  ctx.run();
  backstop.cancel();
  signals.cancel();
  ctx.restart();
  ctx.poll();
  boost::system::error_code wait_error;
  const int exit_code = runner->wait(wait_error);  // its pipes are closed: it has exited

  // The runner's record, or an error case in its place: never a lost case.
  reports::CaseRecord record =
      out_text.empty()
          ? reports::error_case(spec.name, shown_file, reports::reason_code::harness,
                                "the case runner ended with status " + std::to_string(exit_code) +
                                    " without a report")
          : reports::case_from_json_text(out_text);
  if (g_interrupted) {
    record.outcome = {reports::Verdict::error, std::string(reports::reason_code::interrupted),
                      std::string("interrupted (SIG") + signal_name(g_interrupted) +
                          "): the case was stopped and its namespaces removed"};
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
