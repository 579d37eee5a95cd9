// `sockdrill explain [SNAPSHOT.json [LATER.json] | --live] [--json]`: the likely causes.
#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "harness/cli/command_line.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/commands/field_options.hpp"
#include "harness/field/explain_report.hpp"
#include "harness/field/snapshot_json.hpp"

namespace sockdrill {
namespace {

// A snapshot file, or nullopt after saying on stderr what is wrong with it and where.
std::optional<field::Snapshot> read_snapshot(const std::string& who, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << who << ": " << path << ": cannot read it\n";
    return std::nullopt;
  }
  try {
    return field::snapshot_from_json(Json::parse(in));
  } catch (const Json::parse_error& e) {
    std::cerr << who << ": " << path << ": not JSON (at byte " << e.byte << ")\n";
  } catch (const field::SnapshotFormatError& e) {
    std::cerr << who << ": " << path << ": not a " << field::kSnapshotFormat << " snapshot: " << e.what() << "\n";
  }
  return std::nullopt;
}

}  // namespace

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
  app.add_option("--min-age-ms", options->limits.min_age_ms,
                 "CLOSE_WAIT or unread data younger than this is no finding (default 1000)")
      ->type_name("MS");
  app.add_option("--pile", options->limits.pile,
                 "sockets in one state that make a pile: TIME_WAIT, FIN_WAIT2, SYN_RECV, orphans (default 100)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--resets", options->limits.resets, "aborts between two snapshots that make a reset storm (default 50)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000000));
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
      now = read_snapshot(who, options->files.back());
      if (!now) return kExitUsage;
      if (options->files.size() == 2) {
        before = read_snapshot(who, options->files.front());
        if (!before) return kExitUsage;
        if (before->netns != now->netns || before->host != now->host)
          return usage_error(app, "the two snapshots are of different namespaces or hosts");
        if (before->taken_at_ms > now->taken_at_ms)
          return usage_error(app, options->files.front() + " was taken after " + options->files.back() +
                                      ": give the earlier first");
      }
    }
    const field::ExplainInput input{*now, before ? &*before : nullptr, options->limits};
    const std::vector<field::Finding> findings = field::explain(input);
    if (options->json) std::cout << field::explain_json(input, findings).dump(2) << "\n";
    else std::cout << field::explain_text(input, findings);
    return findings.empty() ? kExitOk : kExitFailed;
  };
}

}  // namespace sockdrill
