// The options `snapshot` and `explain --live` share, and taking a snapshot with them.
#include "harness/cli/commands/field_options.hpp"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "harness/field/enter_netns.hpp"
#include "harness/field/snapshot_json.hpp"
#include "harness/field/take_snapshot.hpp"

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

void add_explain_limit_options(CLI::App& app, field::ExplainLimits& limits) {
  app.add_option("--min-age-ms", limits.min_age_ms,
                 "CLOSE_WAIT or unread data younger than this is no finding (default 1000)")
      ->type_name("MS");
  app.add_option("--pile", limits.pile,
                 "sockets in one state that make a pile: TIME_WAIT, FIN_WAIT2, SYN_RECV, orphans (default 100)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--resets", limits.resets, "aborts between two snapshots that make a reset storm (default 50)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000000));
}

bool read_snapshot_files(const std::string& who, const std::vector<std::string>& files,
                         std::optional<field::Snapshot>& before, std::optional<field::Snapshot>& now) {
  now = read_snapshot(who, files.back());
  if (!now) return false;
  if (files.size() < 2) return true;
  before = read_snapshot(who, files.front());
  if (!before) return false;
  if (before->netns != now->netns || before->host != now->host) {
    std::cerr << who << ": " << files.front() << " and " << files.back()
              << " are snapshots of different namespaces or hosts\n";
    return false;
  }
  if (before->taken_at_ms > now->taken_at_ms) {
    std::cerr << who << ": " << files.front() << " was taken after " << files.back() << ": give the earlier first\n";
    return false;
  }
  // The kernel gives a gone namespace's number to a new one: counters that went down tell them apart.
  for (auto& [name, value] : now->counters) {
    if (name == "TcpCurrEstab") continue;  // a gauge: the connections open now
    auto then = before->counters.find(name);
    if (then != before->counters.end() && value < then->second) {
      std::cerr << who << ": " << files.front() << " and " << files.back() << " are not one namespace: " << name
                << " went down from " << then->second << " to " << value
                << " (the kernel reuses a namespace's number once it is gone)\n";
      return false;
    }
  }
  return true;
}

void add_field_scope_options(CLI::App& app, FieldScope& scope) {
  app.add_option("--pid", scope.pids,
                 "show only the sockets of this process (repeatable); the namespace's totals, "
                 "listeners and counters stay whole")
      ->type_name("PID")
      ->check(CLI::Range(1, 4194304))
      ->allow_extra_args(false);
  app.add_option("--netns", scope.netns,
                 "the network namespace at PATH (/proc/PID/ns/net, /run/netns/NAME) instead of "
                 "sockdrill's own; without root, one the user made")
      ->type_name("PATH");
}

std::optional<field::Snapshot> take_field_snapshot(const std::string& who, const FieldScope& scope) {
  static bool entered = false;
  try {
    if (!scope.netns.empty() && !entered) {
      field::enter_netns(scope.netns);
      entered = true;
    }
    return field::take_snapshot({scope.pids, scope.netns, {}});
  } catch (const std::exception& e) {
    std::cerr << who << ": " << e.what() << "\n";
    return std::nullopt;
  }
}

}  // namespace sockdrill
