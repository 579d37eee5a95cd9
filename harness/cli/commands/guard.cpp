// `sockdrill guard [OPTIONS] -- COMMAND [ARG...]`: runs a command, reports the sockets it leaks.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "harness/cli/command_line.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/guard/guard_report.hpp"
#include "harness/guard/guard_session.hpp"
#include "reports/output_file.hpp"

namespace sockdrill {
namespace {

// --allow STATE: a state name as the case format spells it ("TIME_WAIT").
void add_allow_option(CLI::App& app, guard::GuardOptions& options) {
  app.add_option_function<std::vector<std::string>>(
         "--allow",
         [&options](const std::vector<std::string>& names) {
           for (const std::string& name : names) {
             auto state = tcp_state_from_name(name);
             if (!state) throw CLI::ValidationError("--allow", "unknown TCP state " + name +
                                                    " (LISTEN, ESTABLISHED, CLOSE_WAIT, ...)");
             options.allowed.insert(*state);
           }
         },
         "a socket in STATE never counts as a leak (repeatable): CLOSE_WAIT, LISTEN, ...")
      ->type_name("STATE")
      ->allow_extra_args(false);
}

int guard_main(guard::GuardOptions& options) {
  for (auto& [option, path] : {std::pair{"--report", options.report}, {"--junit", options.junit}}) {
    if (!path) continue;
    if (auto problem = reports::destination_problem(reports::Destination::file, *path)) {
      std::cerr << "sockdrill guard: " << option << " " << path->string()
                << ": cannot write there: " << *problem << "\n";
      return kExitUsage;
    }
  }
  const guard::GuardResult result = guard::watch_command(options);
  std::cerr << guard::guard_text(result);
  int status = guard::guard_exit_code(result, options);
  try {
    if (options.report)
      reports::write_checked(*options.report, [&](std::ostream& out) {
        out << guard::guard_json(result).dump(2) << "\n";
      });
    if (options.junit)
      reports::write_checked(*options.junit, [&](std::ostream& out) {
        guard::write_guard_junit(out, result);
      });
  } catch (const std::exception& e) {
    std::cerr << "sockdrill guard: " << e.what() << "\n";
    if (status == 0) status = 125;
  }
  return status;
}

}  // namespace

CommandAction define_guard(CLI::App& app) {
  auto options = std::make_shared<guard::GuardOptions>();
  app.add_option("--settle-ms", options->settle_ms,
                 "a CLOSE_WAIT lasting less is not a leak; processes that outlive the command get "
                 "this long to end (default 1000)")
      ->type_name("MS")
      ->check(CLI::Range(1.0, 3600000.0));
  app.add_option("--interval-ms", options->interval_ms,
                 "time between two samples of the kernel's sockets (default 50; below the settle "
                 "time)")
      ->type_name("MS")
      ->check(CLI::Range(1.0, 60000.0));
  add_allow_option(app, *options);
  app.add_option_function<std::vector<int>>(
         "--ignore-port",
         [o = options.get()](const std::vector<int>& ports) {
           for (int p : ports) o->ignored_ports.insert(static_cast<std::uint16_t>(p));
         },
         "a socket with this local or remote port never counts (repeatable)")
      ->type_name("PORT")
      ->check(CLI::Range(1, 65535))
      ->allow_extra_args(false);
  app.add_flag("--isolate", options->isolate,
               "run the command in network (and user, PID, mount) namespaces of its own, with "
               "only loopback");
  app.add_flag("--keep", options->keep,
               "leave processes that outlived the command running (default: end them after the "
               "report)");
  app.add_option("--exit-code", options->leak_exit_code,
                 "the status when the command succeeded but leaked (default 1)")
      ->type_name("N")
      ->check(CLI::Range(0, 255));
  app.add_option_function<std::string>(
         "--report", [o = options.get()](const std::string& p) { o->report = p; },
         "write FILE: the run and each leak as JSON")
      ->type_name("FILE");
  app.add_option_function<std::string>(
         "--junit", [o = options.get()](const std::string& p) { o->junit = p; },
         "write FILE: JUnit XML, a testcase per process that held TCP sockets")
      ->type_name("FILE");
  app.add_option("command", options->command, "the command to run and watch, after --")
      ->type_name("COMMAND [ARG...]")
      ->required();
  // Guard's options come before the command; from its first word on, every argument is the
  // command's (so `guard ./t --keep` gives --keep to ./t), with or without "--".
  app.positionals_at_end();
  app.footer("sockdrill guard: docs/guard.md (installed: share/doc/sockdrill/).");
  return [options, &app]() -> int {
    if (options->interval_ms >= options->settle_ms)
      return usage_error(app, "--interval-ms " + CLI::detail::to_string(options->interval_ms) +
                                  " must be below --settle-ms " +
                                  CLI::detail::to_string(options->settle_ms));
    return guard_main(*options);
  };
}

}  // namespace sockdrill
