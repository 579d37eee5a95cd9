// The options `snapshot` and `explain --live` share, and taking a snapshot with them.
#include "harness/cli/commands/field_options.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "harness/field/enter_netns.hpp"
#include "harness/field/take_snapshot.hpp"

namespace sockdrill {

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
    return field::take_snapshot({scope.pids, scope.netns});
  } catch (const std::exception& e) {
    std::cerr << who << ": " << e.what() << "\n";
    return std::nullopt;
  }
}

}  // namespace sockdrill
