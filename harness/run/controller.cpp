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
#include "harness/run/runner.hpp"
#include "reports/record_json.hpp"
#include "reports/writers.hpp"

namespace asio = boost::asio;
namespace bp = boost::process::v2;
namespace fs = std::filesystem;

namespace sockdrill {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr const char* kRunnerMode = "__case";

// The options of the report writers come from their table (reports/writers.hpp).
std::string usage_text() {
  std::string writer_flags, writer_help;
  for (const reports::Writer& w : reports::file_writers()) {
    std::string flag = std::string(w.option) + " ";
    flag += reports::placeholder(w.destination);
    writer_flags += "[" + flag + "] ";
    flag.resize(std::max<std::size_t>(flag.size() + 1, 15), ' ');
    writer_help += "  " + flag + std::string(w.writes) + "\n";
  }
  return "usage: sockdrill run " + writer_flags + "[--define NAME=VALUE]... [PATH...]\n"
         "       sockdrill check [--define NAME=VALUE]... PATH...\n"
         "\n"
         "  run    run case files and folders of them (default: cases/); exit 0 when every case\n"
         "         passes, 1 when any fails or errors, 2 for an invalid file or usage\n"
         "  check  validate case files only; exit 0 or 2\n"
         "\n" +
         writer_help +
         "  --peer PATH    the sockdrill-peer program (default: next to sockdrill, or $SOCKDRILL_PEER)\n"
         "  --define NAME=VALUE\n"
         "                 {NAME} in a case's argv, env and connect.to is VALUE (a program you built)\n"
         "\n"
         "The case format: docs/case-format.md. Every case runs in network namespaces of its own, made\n"
         "through a user namespace when not root.\n";
}

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

volatile sig_atomic_t g_interrupted = 0;  // the signal that stopped the run

std::string signal_name(int signal) {
  const char* abbrev = ::sigabbrev_np(signal);
  return abbrev ? abbrev : std::to_string(signal);
}

// Runs one case in a runner process of its own and returns its record.
reports::CaseRecord run_one(asio::io_context& ctx, asio::signal_set& signals, const CaseSpec& spec,
                            const std::string& peer_program) {
  const std::int64_t started = monotonic_ns();
  asio::readable_pipe out_pipe(ctx), err_pipe(ctx);
  std::string out_text, err_text;
  std::optional<bp::process> runner;
  try {
    fs::path exe = fs::read_symlink("/proc/self/exe");
    std::vector<std::string> args{kRunnerMode, spec.file.string(), spec.name, peer_program};
    for (auto& [name, value] : spec.defines) args.push_back(name + "=" + value);
    runner.emplace(ctx, exe.string(), args, bp::process_stdio{nullptr, out_pipe, err_pipe});
  } catch (const std::exception& e) {
    return reports::error_case(spec.name, spec.file.string(), reports::reason_code::harness,
                               std::string("cannot start the case runner: ") + e.what());
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
  exit_code = runner->wait(wait_error);  // its pipes are closed: it has exited or is exiting

  // The runner's report, or an error case in its place: never a lost report.
  reports::CaseRecord record =
      out_text.empty()
          ? reports::error_case(spec.name, spec.file.string(), reports::reason_code::harness,
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
  record.runner_stderr = err_text;
  if (record.duration_ms <= 0) record.duration_ms = (monotonic_ns() - started) / 1e6;
  record.name = spec.name;
  if (record.file.empty()) record.file = spec.file.string();
  return record;
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
  std::vector<std::string> errors;
  auto files = collect(paths, errors);
  for (auto& e : errors) std::cerr << e << "\n";
  std::vector<CaseSpec> specs;
  bool ok = validate_all(files, defines, specs) && errors.empty();
  if (ok) std::cout << files.size() << (files.size() == 1 ? " case file" : " case files") << " valid\n";
  return ok ? kExitOk : kExitUsage;
}

int command_run(std::vector<std::string> args) {
  std::optional<std::string> peer_flag;
  // Each report writer chosen on the command line, with its destination, in the given order.
  std::vector<std::pair<const reports::Writer*, fs::path>> outputs;
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
      std::cout << usage_text();
      return kExitOk;
    } else if (const reports::Writer* w = reports::writer_for_option(a.substr(0, a.find('=')))) {
      std::optional<std::string> destination =
          a.find('=') != std::string::npos ? a.substr(a.find('=') + 1) : value(a.c_str());
      if (!destination) return kExitUsage;
      outputs.emplace_back(w, *destination);
    } else if (a == "--peer") {
      if (!(peer_flag = value("--peer"))) return kExitUsage;
    } else if (a.size() > 1 && a[0] == '-') {
      std::cerr << "sockdrill run: unknown option " << a << "\n" << usage_text();
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
  // An output that cannot be written is a usage error before any case starts, not a lost run.
  for (const auto& [writer, destination] : outputs) {
    if (auto problem = reports::destination_problem(writer->destination, destination)) {
      std::cerr << "sockdrill run: " << writer->option << " " << destination.string()
                << ": cannot write there: " << *problem << "\n";
      return kExitUsage;
    }
  }

  asio::io_context ctx;
  asio::signal_set signals(ctx, SIGINT, SIGTERM, SIGHUP);
  const bool color = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  reports::RunRecord run;
  for (const auto& spec : specs) {
    if (g_interrupted) break;
    run.cases.push_back(run_one(ctx, signals, spec, peer_program));
    reports::write_case_result(std::cout, run.cases.back(), color);
    std::cout.flush();
  }
  reports::write_totals(std::cout, run);
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
  if (totals.fail > 0 || totals.error > 0) return kExitFailed;
  return run.cases.size() == specs.size() ? kExitOk : kExitFailed;
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
    (args.empty() ? std::cerr : std::cout) << usage_text();
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
  std::cerr << "sockdrill: unknown command \"" << command << "\"\n" << usage_text();
  return kExitUsage;
}

}  // namespace sockdrill
