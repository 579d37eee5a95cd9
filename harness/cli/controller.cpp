// The `sockdrill` command line: check, run, and the hidden per-case runner mode.
#include "harness/cli/controller.hpp"

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <sstream>
#include <thread>

#include "harness/case/case_parser.hpp"
#include "harness/cli/case_files.hpp"
#include "harness/cli/command_line.hpp"
#include "harness/cli/progress_line.hpp"
#include "harness/cli/run_queue.hpp"
#include "harness/cli/pcap_path.hpp"
#include "harness/cli/runner_process.hpp"
#include "harness/cli/terminal.hpp"
#include "reports/writers.hpp"

namespace fs = std::filesystem;

namespace sockdrill {
namespace {

// Validates every file; prints every problem; true when all are valid.
bool validate_all(const std::vector<CaseFile>& files, const Defines& defines,
                  std::vector<CaseSpec>& specs) {
  bool ok = true;
  for (const auto& f : files) {
    ParseResult r = parse_case_file(f.path, defines);
    for (auto& e : r.errors) std::cerr << e.message << "\n";
    if (!r.spec) {
      ok = false;
      continue;
    }
    r.spec->name = f.name;
    specs.push_back(std::move(*r.spec));
  }
  return ok;
}

// The case files of `paths`, every problem printed; false when any path is unusable.
bool gather(const std::vector<std::string>& paths, std::vector<CaseFile>& files) {
  std::vector<std::string> errors;
  files = collect_case_files(paths, errors);
  for (auto& e : errors) std::cerr << e << "\n";
  return errors.empty();
}

int command_check(const std::vector<std::string>& args) {
  Defines defines;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (auto taken = take_define(args, i, defines, "check")) {
      if (!*taken) return kExitUsage;
    } else if (args[i].size() > 1 && args[i][0] == '-') {
      std::cerr << "sockdrill check: unknown option " << args[i] << "\n" << usage_text();
      return kExitUsage;
    } else {
      paths.push_back(args[i]);
    }
  }
  if (paths.empty()) {
    std::cerr << "sockdrill check: name at least one case file or folder\n" << usage_text();
    return kExitUsage;
  }
  std::vector<CaseFile> files;
  std::vector<CaseSpec> specs;
  const bool found = gather(paths, files);
  const bool valid = validate_all(files, defines, specs);
  if (!found || !valid) return kExitUsage;
  write_terminal(std::to_string(files.size()) + (files.size() == 1 ? " case file" : " case files") + " valid\n");
  return kExitOk;
}

int command_run(const std::vector<std::string>& args) {
  std::optional<std::string> peer_flag;
  std::optional<fs::path> pcap_dir;  // --pcap DIR: DIR/NAME.pcap per case
  // Each report writer chosen on the command line, with its destination, in the given order.
  std::vector<std::pair<const reports::Writer*, fs::path>> outputs;
  Defines defines;
  std::vector<std::string> paths;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int repeat = 1;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        std::cerr << "sockdrill run: " << flag << " needs a value\n";
        return std::nullopt;
      }
      return args[++i];
    };
    if (auto taken = take_define(args, i, defines, "run")) {
      if (!*taken) return kExitUsage;
    } else if (a == "--help" || a == "-h") {
      write_terminal(usage_text());
      return kExitOk;
    } else if (const reports::Writer* w = reports::writer_for_option(a.substr(0, a.find('=')))) {
      std::optional<std::string> destination =
          a.find('=') != std::string::npos ? a.substr(a.find('=') + 1) : value(a.c_str());
      if (!destination) return kExitUsage;
      outputs.emplace_back(w, *destination);
    } else if (a == "--pcap" || a.starts_with("--pcap=")) {
      auto dir = a.size() > 6 ? a.substr(7) : value("--pcap");
      if (!dir) return kExitUsage;
      pcap_dir = *dir;
    } else if (a == "--peer") {
      if (!(peer_flag = value("--peer"))) return kExitUsage;
    } else if (a == "--jobs" || a == "--repeat") {  // until the CLI11 command line parses them
      std::optional<std::string> n = value(a.c_str());
      if (!n || n->empty() || n->find_first_not_of("0123456789") != std::string::npos ||
          n->size() > 6 || std::stoi(*n) < 1) {
        std::cerr << "sockdrill run: " << a << " takes a whole number from 1, not \""
                  << n.value_or("") << "\"\n";
        return kExitUsage;
      }
      (a == "--jobs" ? jobs : repeat) = std::stoi(*n);
    } else if (a.size() > 1 && a[0] == '-') {
      std::cerr << "sockdrill run: unknown option " << a << "\n" << usage_text();
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) paths.push_back("cases");
  std::vector<CaseFile> files;
  std::vector<CaseSpec> specs;
  const bool found = gather(paths, files);
  if (!validate_all(files, defines, specs) || !found) return kExitUsage;

  const std::string peer_program = find_peer_program(peer_flag);
  if (::access(peer_program.c_str(), X_OK) != 0) {
    std::cerr << "sockdrill: cannot find sockdrill-peer (looked for " << peer_program
              << "); set SOCKDRILL_PEER or pass --peer PATH\n";
    return kExitUsage;
  }
  // An output that cannot be written is a usage error before any case starts, not a lost run.
  for (const auto& [writer, destination] : outputs) {
    if (auto problem = reports::destination_problem(writer->destination, destination)) {
      std::cerr << "sockdrill run: " << writer->option << " " << destination.string()
                << ": cannot write there: " << *problem << "\n";
      return kExitUsage;
    }
  }

  RunPlan plan;
  plan.peer_program = peer_program;
  const TerminalStyle style = stdout_terminal_style();
  plan.color = style.color;
  plan.progress = style.progress;
  plan.jobs = jobs;
  plan.repeat = repeat;
  reports::RunRecord run = run_cases(specs, plan);
  if (pcap_dir) {
    std::vector<std::string> names;
    for (const CaseSpec& spec : specs) names.push_back(spec.name);
    if (auto problem = prepare_pcap_folders(*pcap_dir, names)) {
      std::cerr << "sockdrill run: --pcap " << pcap_dir->string() << ": cannot write there: " << *problem
                << "\n";
      return kExitUsage;
    }
  }

  boost::asio::io_context ctx;
  boost::asio::signal_set signals(ctx, SIGINT, SIGTERM, SIGHUP);
  const bool color = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  reports::RunRecord run;
  for (const auto& [w, d] : outputs) if (w->option == "--report") run.report_dir = d.string();
  for (const auto& spec : specs) {
    if (g_interrupted) break;
    RunOptions options{peer_program, spec.name, std::nullopt};
    if (pcap_dir) options.pcap_file = pcap_path(*pcap_dir, spec.name);
    run.cases.push_back(run_in_runner(ctx, signals, spec, options));
    std::ostringstream line;
    reports::write_case_result(line, run.cases.back(), color);
    write_terminal(line.str());
  }
  std::ostringstream totals_line;
  reports::write_totals(totals_line, run);
  write_terminal(totals_line.str());
  bool written = true;
  for (const auto& [writer, destination] : outputs) {
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
  return run.cases.size() == specs.size() * static_cast<std::size_t>(repeat) ? kExitOk : kExitFailed;
}

}  // namespace

int controller_main(int argc, char** argv) {
  keep_standard_descriptors_open();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    if (args.empty()) std::cerr << usage_text();
    else write_terminal(usage_text());
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    write_terminal(std::string("sockdrill ") + SOCKDRILL_VERSION + "\n");
    return kExitOk;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "run") return command_run(args);
  if (command == "check") return command_check(args);
  if (command == "doctor") return run_doctor(std::cout);
  std::cerr << "sockdrill: unknown command \"" << command << "\"\n" << usage_text();
  return kExitUsage;
}

}  // namespace sockdrill
