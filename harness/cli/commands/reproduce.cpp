// `sockdrill reproduce SNAPSHOT.json [LATER.json] [--finding N] --out CASE.json`: a finding as a case.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "harness/cli/command_line.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/commands/field_options.hpp"
#include "harness/field/reproduce/reproduce.hpp"
#include "reports/output_file.hpp"

namespace sockdrill {

CommandAction define_reproduce(CLI::App& app) {
  struct Options {
    std::vector<std::string> files;
    std::size_t finding = 1;
    std::string out;
    field::ExplainLimits limits;
  };
  auto options = std::make_shared<Options>();
  app.add_option("SNAPSHOT", options->files,
                 "a snapshot (sockdrill snapshot --json); with two, the earlier first, as for explain")
      ->type_name("FILE")
      ->required()
      ->expected(1, 2);
  app.add_option("--finding", options->finding, "which of explain's findings, counted from 1 (default 1)")
      ->type_name("N")
      ->check(CLI::Range(1, 1000));
  app.add_option("--out", options->out, "write the case here")->type_name("CASE.json")->required();
  add_explain_limit_options(app, options->limits);
  app.footer("sockdrill reproduce: docs/snapshot.md (installed: share/doc/sockdrill/).");
  return [&app, options]() -> int {
    const std::string who = command_path(app);
    std::optional<field::Snapshot> before, now;
    if (!read_snapshot_files(who, options->files, before, now)) return kExitUsage;
    const field::ExplainInput input{*now, before ? &*before : nullptr, options->limits};
    const std::vector<field::Finding> findings = field::explain(input);
    if (findings.empty()) {
      std::cerr << who << ": explain finds nothing in " << options->files.back() << ": nothing to reproduce\n";
      return kExitFailed;
    }
    if (options->finding > findings.size())
      return usage_error(app, "--finding " + std::to_string(options->finding) + ": explain finds " +
                                  std::to_string(findings.size()) + " (sockdrill explain " + options->files.back() + ")");
    const field::Finding& finding = findings[options->finding - 1];
    std::string why_not;
    const auto made = field::reproduce(input, finding, why_not);
    if (!made) {
      std::cerr << who << ": " << why_not << "\n";
      return kExitFailed;
    }
    try {
      reports::write_checked(options->out, [&](std::ostream& out) { out << made->case_json.dump(2) << "\n"; });
    } catch (const std::exception& e) {
      std::cerr << who << ": " << e.what() << "\n";
      return kExitFailed;
    }
    std::cout << options->out << ": " << finding.kind << " (" << finding.count << " sockets), run it with: sockdrill run "
              << options->out << "\n";
    for (const std::string& a : made->assumptions) std::cout << "  assumed: " << a << "\n";
    return kExitOk;
  };
}

}  // namespace sockdrill
