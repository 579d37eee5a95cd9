// Runs the chosen cases, each in a runner of its own, several at once, and gathers their records.
#include "harness/cli/run_queue.hpp"

#include "harness/cli/pcap_path.hpp"

#include <signal.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <sstream>

#include "common/clock.hpp"
#include "harness/cli/case_weight.hpp"
#include "harness/cli/progress_line.hpp"
#include "harness/cli/runner_process.hpp"
#include "harness/cli/terminal.hpp"
#include "reports/flaky.hpp"
#include "reports/writers.hpp"

namespace asio = boost::asio;

namespace sockdrill {
namespace {

constexpr auto kProgressRedraw = std::chrono::seconds(1);

// One run of one case: the case's index in the specs and which run of it (1-based).
struct PlannedRun {
  std::size_t spec = 0;
  int attempt = 1;
};

// The scheduler: keeps up to `jobs` runners going on one io_context until every run has ended.
class CaseQueue {
 public:
  CaseQueue(const std::vector<CaseSpec>& specs, const RunPlan& plan)
      : specs_(specs),
        plan_(plan),
        signals_(ctx_, SIGINT, SIGTERM, SIGHUP),
        redraw_(ctx_),
        jobs_(static_cast<std::size_t>(std::max(1, plan.jobs))),
        started_ns_(monotonic_ns()) {
    const int repeat = std::max(1, plan.repeat);
    for (std::size_t s = 0; s < specs.size(); ++s) {
      alone_.push_back(runs_alone(specs[s]));
      for (int a = 1; a <= repeat; ++a) runs_.push_back({s, a});
    }
    records_.resize(runs_.size());
    started_.resize(runs_.size());
  }

  reports::RunRecord run() {
    wait_for_signal();
    start_more();
    if (running_.empty()) signals_.cancel();  // no case to run
    draw_progress();
    ctx_.run();
    if (plan_.progress) write_terminal(kClearLine);
    reports::RunRecord run;
    for (auto& record : records_)
      if (record) run.cases.push_back(std::move(*record));
    if (plan_.repeat > 1) {
      run.flaky = reports::flaky_cases(run.cases);
      std::ostringstream lines;
      for (const reports::FlakyCase& f : run.flaky) reports::write_flaky(lines, f, plan_.color);
      write_terminal(lines.str());
    }
    return run;
  }

 private:
  bool any_running(auto&& pred) const {
    return std::any_of(running_.begin(), running_.end(),
                       [&](const auto& r) { return pred(runs_[r.first]); });
  }

  // Starts runs in order while there is room; a case that runs alone waits for the room to
  // empty, and nothing after it overtakes it (it would wait for ever on a busy queue).
  void start_more() {
    for (std::size_t i = 0; i < runs_.size() && !g_interrupted; ++i) {
      if (running_.size() >= jobs_) return;
      if (started_[i]) continue;
      const PlannedRun& next = runs_[i];
      if (any_running([&](const PlannedRun& r) { return alone_[r.spec]; })) return;
      if (alone_[next.spec] && !running_.empty()) return;
      if (any_running([&](const PlannedRun& r) { return r.spec == next.spec; })) continue;
      start(i);
    }
  }

  void start(std::size_t i) {
    started_[i] = true;
    const CaseSpec& spec = specs_[runs_[i].spec];
    const std::string suffix = runs_[i].attempt > 1 ? "@" + std::to_string(runs_[i].attempt) : "";
    RunOptions options{plan_.peer_program, spec.name, std::nullopt};
    if (plan_.pcap_dir) options.pcap_file = pcap_path(*plan_.pcap_dir, spec.name + suffix);
    std::vector<int> others;  // the runner must not hold the other runners' pipes
    for (auto& [_, runner] : running_)
      for (int fd : runner->read_fds())
        if (fd >= 0) others.push_back(fd);
    running_[i] = RunnerProcess::start(
        ctx_, spec, std::move(options),
        [this, i](reports::CaseRecord record) { ended(i, std::move(record)); }, others);
  }

  void ended(std::size_t i, reports::CaseRecord record) {
    running_.erase(i);
    ++done_;
    if (plan_.repeat > 1) record.attempt = runs_[i].attempt;
    std::ostringstream line;
    if (plan_.progress) line << kClearLine;
    reports::write_case_result(line, record, plan_.color);
    write_terminal(line.str());
    records_[i] = std::move(record);
    start_more();
    if (running_.empty()) {  // nothing could start: every run has ended, or the run was stopped
      signals_.cancel();
      redraw_.cancel();
      return;
    }
    draw_progress();
  }

  void wait_for_signal() {
    signals_.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      if (!g_interrupted) g_interrupted = signal;
      for (auto& [_, runner] : running_) runner->interrupt(signal);  // twice: killed at once
      wait_for_signal();
    });
  }

  void draw_progress() {
    if (!plan_.progress || running_.empty()) return;
    std::vector<std::string> names;
    for (auto& [i, _] : running_) names.push_back(specs_[runs_[i].spec].name);
    const std::size_t left = static_cast<std::size_t>(
        std::count(started_.begin(), started_.end(), false));
    write_terminal(redrawn_line(progress_text(names, (monotonic_ns() - started_ns_) / 1000000,
                                              done_, g_interrupted ? 0 : left,
                                              terminal_columns())));
    redraw_.expires_after(kProgressRedraw);
    redraw_.async_wait([this](boost::system::error_code ec) {
      if (!ec) draw_progress();
    });
  }

  const std::vector<CaseSpec>& specs_;
  const RunPlan& plan_;
  asio::io_context ctx_;
  asio::signal_set signals_;
  asio::steady_timer redraw_;
  std::size_t jobs_;
  std::int64_t started_ns_;
  std::vector<PlannedRun> runs_;  // every run, in the order of the record
  std::vector<bool> alone_;       // per spec: runs_alone()
  std::vector<bool> started_;     // per run
  std::vector<std::optional<reports::CaseRecord>> records_;  // per run, once ended
  std::map<std::size_t, std::shared_ptr<RunnerProcess>> running_;  // by run
  std::size_t done_ = 0;
};

}  // namespace

reports::RunRecord run_cases(const std::vector<CaseSpec>& specs, const RunPlan& plan) {
  return CaseQueue(specs, plan).run();
}

}  // namespace sockdrill
