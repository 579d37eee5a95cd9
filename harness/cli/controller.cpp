// The `sockdrill` command line: one CLI11 app with a subcommand per row of commands(), and its errors.
#include "harness/cli/controller.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "harness/cli/command_line.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/terminal.hpp"

namespace sockdrill {
namespace {

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const Command& c : commands()) names.emplace_back(c.name);
  return names;
}

// " (did you mean X?)" when `typed` is near one of `names`.
std::string suggestion(const std::string& typed, const std::vector<std::string>& names) {
  const auto near = nearest_name(typed, names);
  return near ? " (did you mean " + *near + "?)" : "";
}

// An argument the chosen command took as no option of its own (CLI11 keeps them as extras).
int unknown_option(const CLI::App& command, const std::string& typed) {
  std::vector<std::string> options;
  for (const CLI::Option* o : command.get_options())
    for (const std::string& name : o->get_lnames()) options.push_back("--" + name);
  return usage_error(command, "unknown option " + typed + suggestion(typed.substr(0, typed.find('=')), options));
}

}  // namespace

int controller_main(int argc, char** argv) {
  keep_standard_descriptors_open();
  std::vector<std::string> args(argv + 1, argv + argc);
  // `sockdrill help [COMMAND]` is `sockdrill [COMMAND] --help`.
  if (!args.empty() && args[0] == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }

  CLI::App app("sockdrill: runs TCP incident cases in network namespaces and checks what the kernel shows",
               "sockdrill");
  app.footer(kHelpFooter);
  app.set_version_flag("--version", std::string("sockdrill ") + SOCKDRILL_VERSION);
  app.allow_extras();  // an unknown option is named below, as a subcommand's is
  std::vector<std::pair<CLI::App*, CommandAction>> actions;
  for (const Command& c : commands()) {
    CLI::App* sub = app.add_subcommand(c.name, c.about);
    sub->footer(kHelpFooter);
    sub->allow_extras();  // an unknown option is named below, with the command's own usage
    actions.emplace_back(sub, c.define(*sub));
  }

  if (args.empty()) {
    std::cerr << app.help("", CLI::AppFormatMode::All);
    return kExitUsage;
  }
  const std::vector<std::string> names = command_names();
  if (args[0].empty() || args[0][0] != '-') {
    if (std::find(names.begin(), names.end(), args[0]) == names.end())
      return usage_error(app, "unknown command \"" + args[0] + "\"" + suggestion(args[0], names));
  }

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    // The program's help shows every command's options; a command's help, its own.
    write_terminal(app.get_subcommands().empty() ? app.help("", CLI::AppFormatMode::All) : app.help());
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    write_terminal(std::string(e.what()) + "\n");
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const std::vector<CLI::App*> chosen = app.get_subcommands();
    return usage_error(chosen.empty() ? app : *chosen.front(), e.what());
  }

  for (const std::string& extra : app.remaining())
    if (extra.size() > 1 && extra[0] == '-') return unknown_option(app, extra);
  for (auto& [sub, action] : actions) {
    if (!sub->parsed()) continue;
    // CLI11 keeps the "--" that ends the options (guard's) among the extras: it is no option.
    for (const std::string& extra : sub->remaining())
      if (extra.size() > 1 && extra[0] == '-' && extra != "--") return unknown_option(*sub, extra);
    return action();
  }
  return usage_error(app, "expected a command: " + CLI::detail::join(names, ", "));
}

}  // namespace sockdrill
