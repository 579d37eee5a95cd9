// `sockdrill watch [--interval-ms N] [--duration-s S] [--record FILE] [--html FILE]`: what grows.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include "harness/cli/command_line.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/commands/field_options.hpp"
#include "harness/field/watch.hpp"
#include "reports/output_file.hpp"
#include "reports/writers.hpp"

namespace sockdrill {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_stop(int) { g_stop = 1; }

// Ctrl-C, SIGTERM, SIGHUP end the watch early; what was recorded is still written.
void stop_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaction(s, &sa, nullptr);
}

// Sleeps until `until` unless a signal asks to stop first.
void sleep_until(std::chrono::steady_clock::time_point until) {
  while (!g_stop && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(50),
                                                                                until - std::chrono::steady_clock::now()));
}

}  // namespace

CommandAction define_watch(CLI::App& app) {
  struct Options {
    FieldScope scope;
    std::uint32_t interval_ms = 1000;
    std::uint32_t duration_s = 60;
    std::string record, html;
  };
  auto options = std::make_shared<Options>();
  add_field_scope_options(app, options->scope);
  app.add_option("--interval-ms", options->interval_ms, "time between two snapshots (default 1000)")
      ->type_name("MS")
      ->check(CLI::Range(10, 600000));
  app.add_option("--duration-s", options->duration_s, "how long to watch (default 60; Ctrl-C ends it sooner)")
      ->type_name("S")
      ->check(CLI::Range(1, 86400));
  app.add_option("--record", options->record, "write the recording as JSON (sockdrill-watch/1)")->type_name("FILE");
  app.add_option("--html", options->html, "write the recording as an HTML page with its timeline")->type_name("FILE");
  app.footer("sockdrill watch: docs/snapshot.md (installed: share/doc/sockdrill/).");
  return [&app, options]() -> int {
    const std::string who = command_path(app);
    for (const std::string* path : {&options->record, &options->html})
      if (!path->empty())
        if (auto problem = reports::destination_problem(reports::Destination::file, *path))
          return usage_error(app, *path + ": cannot write there: " + *problem);
    stop_on_signals();
    field::Recording rec;
    rec.interval_ms = options->interval_ms;
    rec.mode_reason =
        "exact transitions (the sock:inet_sock_set_state tracepoint) are not read by this version; a "
        "socket that came and went between two snapshots is not seen";
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t most = static_cast<std::uint64_t>(options->duration_s) * 1000 / options->interval_ms + 1;
    for (std::uint64_t i = 0; i < most && !g_stop; ++i) {
      const auto due = start + std::chrono::milliseconds(static_cast<std::int64_t>(i) * options->interval_ms);
      sleep_until(due);
      if (g_stop) break;
      std::optional<field::Snapshot> snap = take_field_snapshot(who, options->scope);
      if (!snap) return kExitFailed;
      const std::int64_t t_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
      if (rec.samples.empty()) {
        rec.started_at_ms = snap->taken_at_ms;
        rec.host = snap->host;
        rec.kernel = snap->kernel;
        rec.netns = snap->netns;
        std::cout << "watching " << (snap->netns_path.empty() ? snap->netns : snap->netns_path) << " on " << snap->host
                  << " every " << options->interval_ms << " ms for " << options->duration_s << " s ("
                  << snap->sockets << " sockets now)\n";
      }
      field::WatchSample sample = field::watch_sample(*snap, t_ms);
      if (!rec.samples.empty())
        for (const std::string& line : field::changes(rec.samples.back(), sample))
          std::cout << "  " << t_ms / 1000 << "." << (t_ms % 1000) / 100 << " s  " << line << "\n";
      std::cout.flush();
      rec.samples.push_back(std::move(sample));
    }
    const std::string growth = field::growth_text(rec);
    std::cout << (growth.empty() ? "nothing changed\n" : growth);
    try {
      if (!options->record.empty())
        reports::write_checked(options->record, [&](std::ostream& out) { out << field::recording_json(rec).dump(2) << "\n"; });
      if (!options->html.empty()) reports::write_html_file(field::recording_as_run(rec), options->html);
    } catch (const std::exception& e) {
      std::cerr << who << ": " << e.what() << "\n";
      return kExitFailed;
    }
    return kExitOk;
  };
}

}  // namespace sockdrill
