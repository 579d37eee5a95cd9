// `sockdrill list [PATH...]`: each selected case's name and the headline of its about.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "harness/cli/case_loading.hpp"
#include "harness/cli/commands/command.hpp"
#include "harness/cli/terminal.hpp"

namespace sockdrill {
namespace {

constexpr std::size_t kLongLine = 120;

// The about's first line, trimmed; when that is long (the library's abouts are paragraphs), its
// first sentence, or else its words up to kLongLine.
std::string headline(const std::string& about) {
  const auto begin = about.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  std::string line = about.substr(begin, about.find('\n', begin) - begin);
  line.erase(line.find_last_not_of(" \t\r") + 1);
  if (line.size() <= kLongLine) return line;
  if (const auto stop = line.find(". "); stop != std::string::npos && stop < kLongLine) return line.substr(0, stop + 1);
  const auto space = line.rfind(' ', kLongLine - 3);
  return line.substr(0, space == std::string::npos ? kLongLine - 3 : space) + "...";
}

}  // namespace

CommandAction define_list(CLI::App& app) {
  struct Options {
    Defines defines;
    Selection selection;
    std::vector<std::string> paths;
  };
  auto options = std::make_shared<Options>();
  add_selection_options(app, options->selection);
  add_define_option(app, options->defines);
  app.add_option("PATH", options->paths, "case files and folders of them (default: cases/)")->type_name("");
  return [&app, options] {
    if (options->paths.empty()) options->paths.push_back("cases");
    std::vector<CaseSpec> specs;
    // A file that is invalid is named on stderr; the valid ones are still listed.
    const bool ok = load_cases(command_path(app), options->paths, options->selection, options->defines, specs);
    std::size_t width = 0;
    for (const CaseSpec& s : specs) width = std::max(width, s.name.size());
    std::string lines;
    for (const CaseSpec& s : specs)
      lines += s.name + std::string(width - s.name.size() + 2, ' ') + headline(s.about) + "\n";
    write_terminal(lines);
    return ok ? kExitOk : kExitUsage;
  };
}

}  // namespace sockdrill
