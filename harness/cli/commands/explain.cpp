// `sockdrill explain [SNAPSHOT.json [LATER.json] | --live] [--json]`: the likely causes.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "harness/cli/command_line.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/commands/field_options.hpp"
#include "harness/field/explain_report.hpp"
#include "harness/field/snapshot_json.hpp"

namespace sockdrill {

CommandAction define_explain(CLI::App& app) {
  struct Options {
    std::vector<std::string> files;
    bool live = false;
    bool json = false;
    std::uint32_t interval_ms = 1000;
    FieldScope scope;
    field::ExplainLimits limits;
  };
  auto options = std::make_shared<Options>();
  app.add_option("SNAPSHOT", options->files,
                 "a snapshot (sockdrill snapshot --json); with two, the earlier first: growth and "
                 "resets are judged between them")
      ->type_name("FILE")
      ->expected(0, 2);
  app.add_flag("--live", options->live, "take two snapshots now, --interval-ms apart, and explain the second");
  app.add_option("--interval-ms", options->interval_ms, "with --live: time between the two snapshots (default 1000)")
      ->type_name("MS")
      ->check(CLI::Range(10, 600000));
  add_field_scope_options(app, options->scope);
  add_explain_limit_options(app, options->limits);
  app.add_flag("--json", options->json, "print the findings as JSON (sockdrill-explain/1)");
  app.footer("sockdrill explain: docs/snapshot.md (installed: share/doc/sockdrill/).");
  return [&app, options]() -> int {
    const std::string who = command_path(app);
    if (options->live == !options->files.empty())
      return usage_error(app, options->live ? "give either --live or snapshot files, not both"
                                            : "give a snapshot file (sockdrill snapshot --json > FILE) or --live");
    if (!options->live && (!options->scope.pids.empty() || !options->scope.netns.empty()))
      return usage_error(app, "--pid and --netns choose what --live looks at; a file already says");
    std::optional<field::Snapshot> before, now;
    if (options->live) {
      before = take_field_snapshot(who, options->scope);
      if (!before) return kExitUsage;
      std::this_thread::sleep_for(std::chrono::milliseconds(options->interval_ms));
      now = take_field_snapshot(who, options->scope);
      if (!now) return kExitUsage;
    } else {
      if (!read_snapshot_files(who, options->files, before, now)) return kExitUsage;
    }
    const field::ExplainInput input{*now, before ? &*before : nullptr, options->limits};
    const std::vector<field::Finding> findings = field::explain(input);
    if (options->json) std::cout << field::explain_json(input, findings).dump(2) << "\n";
    else std::cout << field::explain_text(input, findings);
    return findings.empty() ? kExitOk : kExitFailed;
  };
}

}  // namespace sockdrill
