// `sockdrill run [PATH...]`: checks every selected case, runs them, writes the chosen reports.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>
#include <thread>

#include "harness/cli/case_loading.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/pcap_path.hpp"
#include "harness/cli/progress_line.hpp"
#include "harness/cli/run_queue.hpp"
#include "harness/cli/runner_process.hpp"
#include "harness/cli/terminal.hpp"
#include "reports/writers.hpp"

namespace fs = std::filesystem;

namespace sockdrill {
namespace {

constexpr int kMaxJobs = 64;
constexpr int kMaxRepeat = 1000;

struct Options {
  Defines defines;
  Selection selection;
  std::vector<std::string> paths;
  std::optional<std::string> peer;
  // Each report writer chosen on the command line, with its destination.
  std::vector<std::pair<const reports::Writer*, fs::path>> outputs;
  std::optional<fs::path> pcap_dir;
  std::optional<std::uint64_t> seed;
  int jobs = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, kMaxJobs);
  int repeat = 1;
};

// One option per row of the writers table (reports/writers.hpp), so a new writer needs no change here.
void add_writer_options(CLI::App& app, Options& options) {
  for (const reports::Writer& w : reports::file_writers()) {
    app.add_option_function<std::vector<std::string>>(
           std::string(w.option),
           [&options, &w](const std::vector<std::string>& destinations) {
             for (const std::string& d : destinations) options.outputs.emplace_back(&w, d);
           },
           std::string(w.writes))
        ->type_name(std::string(reports::placeholder(w.destination)))
        ->allow_extra_args(false);
  }
}

void add_run_options(CLI::App& app, Options& options) {
  app.add_option_function<std::string>(
         "--peer", [&options](const std::string& path) { options.peer = path; },
         "the sockdrill-peer program (default: next to sockdrill, or $SOCKDRILL_PEER)")
      ->type_name("PATH");
  app.add_option_function<std::uint64_t>(
         "--seed", [&options](std::uint64_t seed) { options.seed = seed; },
         "every selected case runs with seed S instead of its file's (replays a reported seed)")
      ->type_name("S")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{std::numeric_limits<std::int64_t>::max()}));
  app.add_option("--jobs", options.jobs, "run N cases at once (default: the number of cores)")
      ->type_name("N")
      ->check(CLI::Range(1, kMaxJobs));
  app.add_option("--repeat", options.repeat, "run each case N times; a case whose outcome changes is flaky")
      ->type_name("N")
      ->check(CLI::Range(1, kMaxRepeat));
  app.add_option_function<std::string>(
         "--pcap", [&options](const std::string& dir) { options.pcap_dir = dir; },
         "write DIR/NAME.pcap: each case's loopback traffic")
      ->type_name("DIR");
}

// Every destination is checked before any case starts: one that cannot be written is a usage
// error, not a lost run.
bool destinations_writable(const std::string& command, const Options& options) {
  bool ok = true;
  auto check = [&](std::string_view option, reports::Destination d, const fs::path& path) {
    if (auto problem = reports::destination_problem(d, path)) {
      std::cerr << command << ": " << option << " " << path.string() << ": cannot write there: " << *problem << "\n";
      ok = false;
    }
  };
  for (const auto& [writer, destination] : options.outputs) check(writer->option, writer->destination, destination);
  if (options.pcap_dir) check("--pcap", reports::Destination::folder, *options.pcap_dir);
  return ok;
}

int run(const std::string& command, Options& options) {
  if (options.paths.empty()) options.paths.push_back("cases");
  std::vector<CaseSpec> specs;
  if (!load_cases(command, options.paths, options.selection, options.defines, specs)) return kExitUsage;
  if (options.seed)
    for (CaseSpec& spec : specs) spec.seed = options.seed;

  const std::string peer_program = find_peer_program(options.peer);
  if (::access(peer_program.c_str(), X_OK) != 0) {
    std::cerr << "sockdrill: cannot find sockdrill-peer (looked for " << peer_program
              << "); set SOCKDRILL_PEER or pass --peer PATH\n";
    return kExitUsage;
  }
  if (!destinations_writable(command, options)) return kExitUsage;
  if (options.pcap_dir) {
    std::vector<std::string> names;
    for (const CaseSpec& spec : specs)
      for (int k = 1; k <= options.repeat; ++k)
        names.push_back(spec.name + (k > 1 ? "@" + std::to_string(k) : ""));
    if (auto problem = prepare_pcap_folders(*options.pcap_dir, names)) {
      std::cerr << command << ": --pcap " << options.pcap_dir->string() << ": " << *problem << "\n";
      return kExitUsage;
    }
  }

  RunPlan plan;
  plan.peer_program = peer_program;
  plan.pcap_dir = options.pcap_dir;
  plan.jobs = options.jobs;
  plan.repeat = options.repeat;
  const TerminalStyle style = stdout_terminal_style();
  plan.color = style.color;
  plan.progress = style.progress;
  reports::RunRecord run = run_cases(specs, plan);
  for (const auto& [writer, destination] : options.outputs)
    if (writer->option == "--report") run.report_dir = destination.string();
  std::ostringstream totals_line;
  reports::write_totals(totals_line, run);
  write_terminal(totals_line.str());
  bool written = true;
  for (const auto& [writer, destination] : options.outputs) {
    try {
      writer->write(run, destination);
    } catch (const std::exception& e) {
      std::cerr << "sockdrill: " << writer->option << ": " << e.what() << "\n";
      written = false;
    }
  }
  if (!written) return kExitFailed;
  if (g_interrupted) return 130;
  const reports::Totals totals = reports::totals(run);
  if (totals.fail > 0 || totals.error > 0 || totals.flaky > 0) return kExitFailed;
  return run.cases.size() == specs.size() * static_cast<std::size_t>(plan.repeat) ? kExitOk
                                                                                : kExitFailed;
}

}  // namespace

CommandAction define_run(CLI::App& app) {
  auto options = std::make_shared<Options>();
  add_writer_options(app, *options);
  add_run_options(app, *options);
  add_selection_options(app, options->selection);
  add_define_option(app, options->defines);
  app.add_option("PATH", options->paths, "case files and folders of them (default: cases/)")->type_name("");
  return [&app, options] { return run(command_path(app), *options); };
}

}  // namespace sockdrill
