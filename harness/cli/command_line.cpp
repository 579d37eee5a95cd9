// The command line's shared pieces: exit codes, usage errors, --define, and where sockdrill-peer is.
#include "harness/cli/command_line.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vector>

namespace fs = std::filesystem;

namespace sockdrill {

const char* const kHelpFooter =
    "The case format: docs/case-format.md (installed: share/doc/sockdrill/). Every case runs in\n"
    "network namespaces of its own, made through a user namespace when not root.";

std::string command_path(const CLI::App& command) {
  std::string path = command.get_name();
  for (const CLI::App* up = command.get_parent(); up; up = up->get_parent())
    path = up->get_name() + " " + path;
  return path;
}

int usage_error(const CLI::App& command, const std::string& message) {
  // help(PREFIX) puts the parents' names before the command's in its usage line.
  const std::string parents = command.get_parent() ? command_path(*command.get_parent()) : "";
  std::cerr << command_path(command) << ": " << message << "\n\n" << command.help(parents);
  return kExitUsage;
}

namespace {

// Edits (insert, delete, replace, swap of two neighbours) that make `a` into `b`.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// Letters, digits, '_' and '-', starting with a letter or '_' (a placeholder's name has no dot).
bool is_define_name(const std::string& name) {
  return !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
         });
}

}  // namespace

std::optional<std::string> nearest_name(const std::string& typed, std::span<const std::string> names) {
  std::optional<std::string> best;
  std::size_t best_distance = typed.size() / 3 + 1;
  for (const std::string& name : names) {
    const std::size_t d = edit_distance(typed, name);
    if (d < best_distance) best = name, best_distance = d;
  }
  return best;
}

void add_define_option(CLI::App& command, Defines& defines) {
  const CLI::Validator name_then_value(
      [](std::string& text) -> std::string {
        const auto eq = text.find('=');
        if (eq != std::string::npos && is_define_name(text.substr(0, eq))) return {};
        return "expected NAME=VALUE with NAME made of letters, digits, '_' and '-' (no dot), got \"" +
               text + "\"";
      },
      "");  // the type name says NAME=VALUE already
  command
      .add_option_function<std::vector<std::string>>(
          "--define",
          [&defines](const std::vector<std::string>& texts) {
            for (const std::string& text : texts) {
              const auto eq = text.find('=');
              defines[text.substr(0, eq)] = text.substr(eq + 1);
            }
          },
          "{NAME} in a case's argv, env and connect.to is VALUE (a program you built)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false)  // one value each time: the paths after it stay paths
      ->check(name_then_value);
}

std::string find_peer_program(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  if (const char* env = std::getenv("SOCKDRILL_PEER"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path dir = ec ? fs::path(".") : exe.parent_path();
  for (fs::path candidate : {dir / "sockdrill-peer", dir / ".." / "peers" / "sockdrill-peer",
                             dir / ".." / "libexec" / "sockdrill" / "sockdrill-peer"}) {
    if (fs::exists(candidate, ec)) return fs::canonical(candidate, ec).string();
  }
  return (dir / "sockdrill-peer").string();
}

}  // namespace sockdrill
