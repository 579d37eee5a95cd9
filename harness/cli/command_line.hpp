// The command line's shared pieces: exit codes, usage errors, --define, and where sockdrill-peer is.
#pragma once
#include <map>
#include <optional>
#include <span>
#include <string>

namespace CLI {
class App;
}

namespace sockdrill {

using Defines = std::map<std::string, std::string>;

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// Where the case format is described; every --help ends by pointing at it.
extern const char* const kHelpFooter;

// "sockdrill COMMAND: MESSAGE" and the command's usage on stderr; returns kExitUsage.
int usage_error(const CLI::App& command, const std::string& message);

// The name of `command` as typed: "sockdrill run" (just "sockdrill" for the program itself).
std::string command_path(const CLI::App& command);

// The one of `names` nearest to `typed` (a typo: at most a third of it differs), else nullopt.
std::optional<std::string> nearest_name(const std::string& typed, std::span<const std::string> names);

// Adds `--define NAME=VALUE` (repeatable) to `command`, each value checked and put in `defines`.
void add_define_option(CLI::App& command, Defines& defines);

// --peer PATH, else $SOCKDRILL_PEER, else next to sockdrill (as built, or as installed).
std::string find_peer_program(const std::optional<std::string>& flag);

}  // namespace sockdrill
