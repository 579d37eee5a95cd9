// Benchmark: what `sockdrill guard` adds to a test command's time. The command opens and closes
// 10,000 loopback connections (sockdrill_connection_churn); it runs alone and under guard
// (default options), in random order across repetitions, in a network namespace of this
// benchmark's own. The time is the command's wall time from fork to exit seen by waitpid
// (under guard: guard's, which includes its start, its last sample and its report). After
// Google Benchmark's table comes the ratio of the medians, guard/alone (the target:
// at most 1.10), and a check that guard found no leak in a command that leaks nothing.
//
// Flags (before Google Benchmark's own): --connections=N (default 10000),
// --sockdrill=PATH, --churn=PATH (default: the programs built beside this one).
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "bench/flags.hpp"
#include "tests/observe/netns.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::string sockdrill_path = SOCKDRILL_PATH;
std::string churn_path = SOCKDRILL_CHURN_PATH;
std::string connections = "10000";

// Runs argv to its end; returns its exit status (128 + signal), or -1 when it could not start.
int run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void bench_command(benchmark::State& state, bool guarded) {
  std::vector<std::string> argv{churn_path, connections};
  if (guarded) argv.insert(argv.begin(), {sockdrill_path, "guard", "--"});
  for (auto _ : state) {
    const auto start = Clock::now();
    const int status = run(argv);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
    if (status != 0) {
      state.SkipWithError(("exit status " + std::to_string(status) +
                           (guarded ? " (1: guard found a leak)" : "")).c_str());
      return;
    }
  }
}

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs)
      if (!run.error_occurred && run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")
        median_[run.run_name.function_name] = run.GetAdjustedRealTime();
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double alone = median_["churn/alone"], guarded = median_["churn/guard"];
    std::printf("\n%s connections opened and closed, median wall time of the repetitions\n",
                connections.c_str());
    std::printf("  alone        %8.1f ms\n  under guard  %8.1f ms\n", alone, guarded);
    if (alone > 0 && guarded > 0)
      std::printf("  ratio guard/alone = %.3f (target: at most 1.10)\n", guarded / alone);
    std::fflush(stdout);
  }

 private:
  std::map<std::string, double> median_;
};

}  // namespace

int main(int argc, char** argv) {
  using sockdrill::bench::take_flag;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (!take_flag(argv[i], "--connections", connections) &&
        !take_flag(argv[i], "--sockdrill", sockdrill_path) && !take_flag(argv[i], "--churn", churn_path))
      argv[kept++] = argv[i];
  }
  std::vector<char*> args(argv, argv + kept);
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  args.push_back(interleave);
  argc = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&argc, args.data());
  if (benchmark::ReportUnrecognizedArguments(argc, args.data())) return 1;
  // Our own namespace, before any thread: 10,000 connections' TIME_WAIT stay out of the host's.
  sockdrill::testing::enter_fresh_netns();
  for (auto* b : {benchmark::RegisterBenchmark("churn/alone", bench_command, false),
                  benchmark::RegisterBenchmark("churn/guard", bench_command, true)})
    b->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(7)->ReportAggregatesOnly(true);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
