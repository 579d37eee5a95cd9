// The one grammar of placeholders: {PEER.address}, {PEER.port}, {case_dir} and --define names.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockdrill {

struct PlaceholderPart {
  enum Kind {
    text,          // plain text, braces of the program's own included
    case_dir,      // {case_dir}
    define,        // {NAME} given with --define NAME=VALUE
    peer_address,  // {PEER.address}
    peer_port,     // {PEER.port}
    word,          // {NAME}: shaped like a placeholder, but none of the above
  } kind = text;
  std::string value;  // kind text: the text itself; otherwise the token between the braces
  std::string peer;  // peer_address, peer_port: PEER (whether such a peer exists is the caller's)
};

// Splits `s` into parts. A '{' opens a placeholder that the next '}' closes, unless another '{'
// comes first: then the first one is plain text ("{ ... {server.port}"), as is a '{' never
// closed. A token of letters, digits, '_', '-' and '.' that starts with a letter or '_' is a
// placeholder; anything else between braces (a JSON object, curl's %{http_code}) is plain text.
// --define names come first: a name given on the command line is a define whatever it looks like.
std::vector<PlaceholderPart> split_placeholders(std::string_view s,
                                                const std::map<std::string, std::string>& defines);

// {case_dir} of a case file: the absolute folder that holds it, without "." or ".." parts.
std::string case_dir_of(const std::string& case_file);

// What placeholders stand for when a peer starts.
struct PlaceholderValues {
  std::string case_dir;
  const std::map<std::string, std::string>* defines = nullptr;
  // A peer's address (port == false) or port; nullopt while it has none (not bound yet).
  std::function<std::optional<std::string>(const std::string& peer, bool port)> peer;
};

// `s` with every placeholder replaced; words and unknown peers stay as written (the checker has
// refused them where they matter). `problem` is set when a peer has no address or port yet.
std::string resolve_placeholders(std::string_view s, const PlaceholderValues& values,
                                 std::string& problem);

}  // namespace sockdrill
