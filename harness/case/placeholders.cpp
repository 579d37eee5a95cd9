// The one grammar of placeholders: splitting strings into text and placeholders, and resolving them.
#include "harness/case/placeholders.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace sockdrill {
namespace {

bool is_word(std::string_view token) {
  if (token.empty() || !(std::isalpha(static_cast<unsigned char>(token[0])) || token[0] == '_'))
    return false;
  return std::all_of(token.begin(), token.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

PlaceholderPart classify(std::string_view token, const std::map<std::string, std::string>& defines) {
  PlaceholderPart part;
  part.value = std::string(token);
  if (defines.count(part.value)) {
    part.kind = PlaceholderPart::define;
    return part;
  }
  if (!is_word(token)) {
    part.kind = PlaceholderPart::text;
    part.value = "{" + part.value + "}";
    return part;
  }
  if (token == "case_dir") {
    part.kind = PlaceholderPart::case_dir;
    return part;
  }
  for (auto [suffix, kind] : {std::pair{std::string_view(".address"), PlaceholderPart::peer_address},
                              std::pair{std::string_view(".port"), PlaceholderPart::peer_port}}) {
    if (token.size() > suffix.size() && token.ends_with(suffix)) {
      part.kind = kind;
      part.peer = std::string(token.substr(0, token.size() - suffix.size()));
      return part;
    }
  }
  part.kind = PlaceholderPart::word;
  return part;
}

void add_text(std::vector<PlaceholderPart>& parts, std::string_view text) {
  if (text.empty()) return;
  if (!parts.empty() && parts.back().kind == PlaceholderPart::text) {
    parts.back().value += text;
    return;
  }
  parts.push_back({PlaceholderPart::text, std::string(text), ""});
}

}  // namespace

std::vector<PlaceholderPart> split_placeholders(std::string_view s,
                                                const std::map<std::string, std::string>& defines) {
  std::vector<PlaceholderPart> parts;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t open = s.find('{', i);
    if (open == std::string_view::npos) break;
    const std::size_t close = s.find('}', open + 1);
    if (close == std::string_view::npos) break;
    const std::size_t reopen = s.find('{', open + 1);
    if (reopen < close) {  // "{ ... {x}": the first brace is the program's
      add_text(parts, s.substr(i, reopen - i));
      i = reopen;
      continue;
    }
    add_text(parts, s.substr(i, open - i));
    PlaceholderPart part = classify(s.substr(open + 1, close - open - 1), defines);
    if (part.kind == PlaceholderPart::text) add_text(parts, part.value);
    else parts.push_back(std::move(part));
    i = close + 1;
  }
  add_text(parts, s.substr(std::min(i, s.size())));
  return parts;
}

std::string resolve_placeholders(std::string_view s, const PlaceholderValues& values,
                                 std::string& problem) {
  static const std::map<std::string, std::string> kNone;
  const auto& defines = values.defines ? *values.defines : kNone;
  std::string out;
  for (const PlaceholderPart& part : split_placeholders(s, defines)) {
    switch (part.kind) {
      case PlaceholderPart::text: out += part.value; break;
      case PlaceholderPart::word: out += "{" + part.value + "}"; break;
      case PlaceholderPart::case_dir: out += values.case_dir; break;
      case PlaceholderPart::define: out += defines.at(part.value); break;
      case PlaceholderPart::peer_address:
      case PlaceholderPart::peer_port: {
        const bool port = part.kind == PlaceholderPart::peer_port;
        auto value = values.peer ? values.peer(part.peer, port) : std::nullopt;
        if (value) {
          out += *value;
        } else if (problem.empty()) {
          problem = "{" + part.value + "} is not known yet: peer \"" + part.peer +
                    "\" has no listening " + (port ? "port" : "address");
        }
        break;
      }
    }
  }
  return out;
}

std::string case_dir_of(const std::string& case_file) {
  return std::filesystem::absolute(case_file).lexically_normal().parent_path().string();
}

}  // namespace sockdrill
