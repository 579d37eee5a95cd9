// The command line's shared pieces: usage, --define, and where sockdrill-peer is.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sockdrill {

using Defines = std::map<std::string, std::string>;

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

std::string usage_text();

// "NAME=VALUE" of --define into `defines`; false (with a message on stderr) when malformed.
bool add_define(const std::string& text, Defines& defines, const char* command);
// `--define NAME=VALUE` or `--define=NAME=VALUE` at args[i] (i moves past a separate value):
// nullopt when args[i] is something else, false when malformed (a message is printed), true
// when taken.
std::optional<bool> take_define(const std::vector<std::string>& args, std::size_t& i,
                                Defines& defines, const char* command);

// --peer PATH, else $SOCKDRILL_PEER, else next to sockdrill (as built, or as installed).
std::string find_peer_program(const std::optional<std::string>& flag);

}  // namespace sockdrill
