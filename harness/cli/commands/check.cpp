// `sockdrill check PATH...`: validates case files and starts nothing.
#include <CLI/CLI.hpp>
#include <memory>

#include "harness/cli/case_loading.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/terminal.hpp"

namespace sockdrill {

CommandAction define_check(CLI::App& app) {
  struct Options {
    Defines defines;
    std::vector<std::string> paths;
  };
  auto options = std::make_shared<Options>();
  add_define_option(app, options->defines);
  app.add_option("PATH", options->paths, "case files and folders of them")->type_name("");
  return [&app, options] {
    if (options->paths.empty()) return usage_error(app, "name at least one case file or folder");
    std::vector<CaseSpec> specs;
    if (!load_cases(command_path(app), options->paths, {}, options->defines, specs)) return kExitUsage;
    write_terminal(std::to_string(specs.size()) + (specs.size() == 1 ? " case file" : " case files") + " valid\n");
    return kExitOk;
  };
}

}  // namespace sockdrill
