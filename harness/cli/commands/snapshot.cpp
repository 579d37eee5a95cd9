// `sockdrill snapshot [--json] [--pid PID...] [--netns PATH]`: a live namespace's TCP sockets.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "harness/cli/command_line.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/commands/field_options.hpp"
#include "harness/field/snapshot_json.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill {

CommandAction define_snapshot(CLI::App& app) {
  struct Options {
    FieldScope scope;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  add_field_scope_options(app, options->scope);
  app.add_flag("--json", options->json, "print the snapshot as JSON (sockdrill-snapshot/1, docs/snapshot.md)");
  app.footer("sockdrill snapshot: docs/snapshot.md (installed: share/doc/sockdrill/).");
  return [&app, options]() -> int {
    std::optional<field::Snapshot> snap = take_field_snapshot(command_path(app), options->scope);
    if (!snap) return kExitFailed;
    if (options->json) std::cout << field::snapshot_to_json(*snap).dump(2) << "\n";
    else std::cout << field::snapshot_text(*snap);
    std::cout.flush();
    return std::cout ? kExitOk : kExitFailed;
  };
}

}  // namespace sockdrill
