// The `sockdrill` command line: check, run, and the hidden per-case runner mode.
#include "harness/run/controller.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "common/clock.hpp"
#include "harness/case/case_parser.hpp"
#include "harness/run/isolation.hpp"
#include "harness/run/report.hpp"
#include "harness/run/runner.hpp"

namespace asio = boost::asio;
namespace bp = boost::process::v2;
namespace fs = std::filesystem;

namespace sockdrill {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr const char* kRunnerMode = "__case";

const char* kUsage =
    "usage: sockdrill run [--report DIR] [--junit FILE] [--define NAME=VALUE]... [PATH...]\n"
    "       sockdrill check [--define NAME=VALUE]... PATH...\n"
    "\n"
    "  run    run case files and folders of them (default: cases/); exit 0 when every case\n"
    "         passes, 1 when any fails or errors, 2 for an invalid file or usage\n"
    "  check  validate case files only; exit 0 or 2\n"
    "\n"
    "  --report DIR   write DIR/summary.json and DIR/cases/NAME.json\n"
    "  --junit FILE   write a JUnit XML report\n"
    "  --peer PATH    the sockdrill-peer program (default: next to sockdrill, or $SOCKDRILL_PEER)\n"
    "  --define NAME=VALUE\n"
    "                 {NAME} in a case's argv, env and connect.to is VALUE (a program you built)\n"
    "\n"
    "The case format: CASE_FORMAT.md. Every case runs in network namespaces of its own, made\n"
    "through a user namespace when not root.\n";

struct CaseFile {
  fs::path path;
  std::string name;
};

// Files named on the command line as they are; folders searched for *.json (not schema.json),
// named by their path under the folder without ".json".
std::vector<CaseFile> collect(const std::vector<std::string>& paths, std::vector<std::string>& errors) {
  std::vector<CaseFile> out;
  for (const auto& arg : paths) {
    fs::path p(arg);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<CaseFile> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (!it->is_regular_file() || it->path().extension() != ".json") continue;
        if (it->path().filename() == "schema.json") continue;
        fs::path rel = fs::relative(it->path(), p);
        found.push_back({it->path(), rel.replace_extension().generic_string()});
      }
      std::sort(found.begin(), found.end(),
                [](const CaseFile& a, const CaseFile& b) { return a.name < b.name; });
      if (found.empty()) errors.push_back(arg + ": no case files (*.json) in this folder");
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back({p, p.stem().string()});
    } else {
      errors.push_back(arg + ": no such file or folder");
    }
  }
  return out;
}

std::string self_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

std::string find_peer_program(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  if (const char* env = std::getenv("SOCKDRILL_PEER"); env && *env) return env;
  fs::path dir = self_dir();
  for (fs::path candidate : {dir / "sockdrill-peer", dir / ".." / "peers" / "sockdrill-peer",
                             dir / ".." / "libexec" / "sockdrill" / "sockdrill-peer"}) {
    std::error_code ec;
    if (fs::exists(candidate, ec)) return fs::canonical(candidate, ec).string();
  }
  return (dir / "sockdrill-peer").string();
}

using Defines = std::map<std::string, std::string>;

// "NAME=VALUE" of --define into `defines`; false (with a message) when malformed.
bool add_define(const std::string& text, Defines& defines, const char* command) {
  auto eq = text.find('=');
  std::string name = text.substr(0, eq);
  bool good = eq != std::string::npos && !name.empty() &&
              (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
              std::all_of(name.begin(), name.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
              });
  if (!good) {
    std::cerr << "sockdrill " << command << ": --define expects NAME=VALUE with NAME made of "
              << "letters, digits, '_' and '-' (no dot), got \"" << text << "\"\n";
    return false;
  }
  defines[name] = text.substr(eq + 1);
  return true;
}

// `--define NAME=VALUE` or `--define=NAME=VALUE` at args[i] (i moves past a separate value), as
// run and check both take it: nullopt when args[i] is something else, false when malformed (a
// message is printed), true when taken.
std::optional<bool> take_define(const std::vector<std::string>& args, std::size_t& i,
                                Defines& defines, const char* command) {
  if (args[i].rfind("--define=", 0) == 0) return add_define(args[i].substr(9), defines, command);
  if (args[i] != "--define") return std::nullopt;
  if (i + 1 >= args.size()) {
    std::cerr << "sockdrill " << command << ": --define needs a value\n";
    return false;
  }
  return add_define(args[++i], defines, command);
}

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

volatile sig_atomic_t g_interrupted = 0;

// Runs one case in a runner process of its own and returns its report.
Json run_one(asio::io_context& ctx, asio::signal_set& signals, const CaseSpec& spec,
             const std::string& peer_program) {
  const std::int64_t started = monotonic_ns();
  Json fallback = {{"name", spec.name}, {"file", spec.file.string()}, {"verdict", "error"}};
  asio::readable_pipe out_pipe(ctx), err_pipe(ctx);
  std::string out_text, err_text;
  std::optional<bp::process> runner;
  try {
    fs::path exe = fs::read_symlink("/proc/self/exe");
    std::vector<std::string> args{kRunnerMode, spec.file.string(), spec.name, peer_program};
    for (auto& [name, value] : spec.defines) args.push_back(name + "=" + value);
    runner.emplace(ctx, exe.string(), args, bp::process_stdio{nullptr, out_pipe, err_pipe});
  } catch (const std::exception& e) {
    fallback["reason"] = std::string("cannot start the case runner: ") + e.what();
    fallback["duration_ms"] = 0;
    return fallback;
  }

  bool timed_out = false;
  int pending = 2;  // stdout and stderr: both reach EOF only when every case process is gone
  int exit_code = -1;
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
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    g_interrupted = 1;
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
  exit_code = runner->wait(wait_error);  // its pipes are closed: it has exited or is exiting

  Json report;
  if (!out_text.empty()) report = Json::parse(out_text, nullptr, false);
  if (report.is_discarded() || !report.is_object()) report = fallback;
  if (g_interrupted) {
    report["verdict"] = "error";
    report["reason"] = "interrupted (Ctrl-C): the case was stopped and its namespaces removed";
  } else if (timed_out) {
    report["verdict"] = "error";
    report["reason"] = "the case runner did not finish within timeout_ms + 15 s and was killed";
  } else if (!report.contains("verdict") || report == fallback) {
    report["verdict"] = "error";
    report["reason"] = "the case runner ended with status " + std::to_string(exit_code) +
                       " without a report";
  }
  if (!err_text.empty()) report["stderr"] = err_text;
  if (!report.contains("duration_ms")) report["duration_ms"] = (monotonic_ns() - started) / 1'000'000;
  report["name"] = spec.name;
  return report;
}

int command_check(const std::vector<std::string>& args) {
  Defines defines;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (auto taken = take_define(args, i, defines, "check")) {
      if (!*taken) return kExitUsage;
    } else if (args[i].size() > 1 && args[i][0] == '-') {
      std::cerr << "sockdrill check: unknown option " << args[i] << "\n" << kUsage;
      return kExitUsage;
    } else {
      paths.push_back(args[i]);
    }
  }
  if (paths.empty()) {
    std::cerr << "sockdrill check: name at least one case file or folder\n" << kUsage;
    return kExitUsage;
  }
  std::vector<std::string> errors;
  auto files = collect(paths, errors);
  for (auto& e : errors) std::cerr << e << "\n";
  std::vector<CaseSpec> specs;
  bool ok = validate_all(files, defines, specs) && errors.empty();
  if (ok) std::cout << files.size() << (files.size() == 1 ? " case file" : " case files") << " valid\n";
  return ok ? kExitOk : kExitUsage;
}

int command_run(std::vector<std::string> args) {
  std::optional<std::string> report_dir, junit_file, peer_flag;
  Defines defines;
  std::vector<std::string> paths;
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
      std::cout << kUsage;
      return kExitOk;
    } else if (a == "--report") {
      if (!(report_dir = value("--report"))) return kExitUsage;
    } else if (a == "--junit") {
      if (!(junit_file = value("--junit"))) return kExitUsage;
    } else if (a == "--peer") {
      if (!(peer_flag = value("--peer"))) return kExitUsage;
    } else if (a.rfind("--report=", 0) == 0) {
      report_dir = a.substr(9);
    } else if (a.rfind("--junit=", 0) == 0) {
      junit_file = a.substr(8);
    } else if (a.size() > 1 && a[0] == '-') {
      std::cerr << "sockdrill run: unknown option " << a << "\n" << kUsage;
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) paths.push_back("cases");
  std::vector<std::string> errors;
  auto files = collect(paths, errors);
  for (auto& e : errors) std::cerr << e << "\n";
  std::vector<CaseSpec> specs;
  if (!validate_all(files, defines, specs) || !errors.empty()) return kExitUsage;

  const std::string peer_program = find_peer_program(peer_flag);
  if (::access(peer_program.c_str(), X_OK) != 0) {
    std::cerr << "sockdrill: cannot find sockdrill-peer (looked for " << peer_program
              << "); set SOCKDRILL_PEER or pass --peer PATH\n";
    return kExitUsage;
  }

  asio::io_context ctx;
  asio::signal_set signals(ctx, SIGINT, SIGTERM, SIGHUP);
  const bool color = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  std::vector<Json> reports;
  for (const auto& spec : specs) {
    if (g_interrupted) break;
    Json report = run_one(ctx, signals, spec, peer_program);
    print_case_result(std::cout, report, color);
    std::cout.flush();
    reports.push_back(std::move(report));
  }
  print_totals(std::cout, reports);
  try {
    if (report_dir) write_report_dir(*report_dir, reports);
    if (junit_file) write_junit(*junit_file, reports);
  } catch (const std::exception& e) {
    std::cerr << "sockdrill: " << e.what() << "\n";
    return kExitFailed;
  }
  if (g_interrupted) return 130;
  for (auto& r : reports)
    if (r.value("verdict", "error") != "pass") return kExitFailed;
  return reports.size() == specs.size() ? kExitOk : kExitFailed;
}

// Runner mode: one case, in its own namespaces; prints its report as JSON on stdout.
int command_case(const std::vector<std::string>& args) {
  if (args.size() < 3) {
    std::cerr << "sockdrill: internal runner mode takes FILE NAME PEER_PROGRAM [NAME=VALUE...]\n";
    return kExitUsage;
  }
  Defines defines;
  for (std::size_t i = 3; i < args.size(); ++i)
    if (!add_define(args[i], defines, "__case")) return kExitUsage;
  try {
    IsolationInfo iso = enter_case_namespaces();  // from here on we are PID 1 of the case
    ::signal(SIGPIPE, SIG_IGN);
    prepare_case_namespace(iso);
    ParseResult parsed = parse_case_file(args[0], defines);
    if (!parsed.spec) {
      for (auto& e : parsed.errors) std::cerr << e.message << "\n";
      return kExitUsage;
    }
    RunOptions options{args[2], args[1]};
    Json report = run_case(*parsed.spec, options, iso);
    std::cout << report.dump() << std::endl;
    return kExitOk;
  } catch (const std::exception& e) {
    std::cerr << "sockdrill: harness error in case " << args[1] << ": " << e.what() << "\n";
    return 3;
  }
}

}  // namespace

int controller_main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? std::cerr : std::cout) << kUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "sockdrill " << SOCKDRILL_VERSION << "\n";
    return kExitOk;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "run") return command_run(args);
  if (command == "check") return command_check(args);
  if (command == kRunnerMode) return command_case(args);
  std::cerr << "sockdrill: unknown command \"" << command << "\"\n" << kUsage;
  return kExitUsage;
}

}  // namespace sockdrill
