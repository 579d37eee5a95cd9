// Which of the found cases a run or list takes: --filter GLOB and --shard K/N.
#include "harness/cli/case_selection.hpp"

#include <fnmatch.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>

namespace sockdrill {
namespace {

std::optional<int> whole_number(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

bool matches_any(const std::string& name, const std::vector<std::string>& globs) {
  // No FNM_PATHNAME: '*' spans the '/' of a case under a subfolder ("*close*" finds
  // "close_wait/forgotten_close").
  return globs.empty() || std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
           return ::fnmatch(glob.c_str(), name.c_str(), 0) == 0;
         });
}

}  // namespace

std::optional<std::string> shard_problem(const std::string& text) {
  const auto slash = text.find('/');
  const auto k = whole_number(std::string_view(text).substr(0, slash));
  const auto n = slash == std::string::npos ? std::nullopt : whole_number(std::string_view(text).substr(slash + 1));
  if (!k || !n) return "expected K/N, two whole numbers such as 1/4, got \"" + text + "\"";
  if (*n < 1) return "expected N of K/N to be at least 1, got \"" + text + "\"";
  if (*k < 1 || *k > *n)
    return "expected K of K/N from 1 to " + std::to_string(*n) + ", got \"" + text + "\"";
  return std::nullopt;
}

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  return Shard{*whole_number(std::string_view(text).substr(0, slash)),
               *whole_number(std::string_view(text).substr(slash + 1))};
}

void add_selection_options(CLI::App& command, Selection& selection) {
  command
      .add_option("--filter", selection.filters,
                  "only the cases whose name matches GLOB ('*' spans '/'); repeated: any of them")
      ->type_name("GLOB")
      ->allow_extra_args(false);
  const CLI::Validator k_of_n([](std::string& text) { return shard_problem(text).value_or(""); }, "");
  command
      .add_option_function<std::string>(
          "--shard", [&selection](const std::string& text) { selection.shard = parse_shard(text); },
          "only shard K of N (1 <= K <= N), chosen by a hash of each case's name: 1/N to N/N "
          "together take every case once")
      ->type_name("K/N")
      ->check(k_of_n);
}

int shard_of(std::string_view name, int count) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
  return static_cast<int>(hash % static_cast<std::uint64_t>(count)) + 1;
}

Selected select_cases(const std::vector<CaseFile>& found, const Selection& selection) {
  Selected out;
  for (const CaseFile& f : found) {
    if (!matches_any(f.name, selection.filters)) continue;
    ++out.matching;
    if (selection.shard && shard_of(f.name, selection.shard->count) != selection.shard->index) continue;
    out.files.push_back(f);
  }
  return out;
}

std::string filters_text(const Selection& selection) {
  std::string text;
  for (const std::string& glob : selection.filters)
    text += (text.empty() ? "--filter '" : " or --filter '") + glob + "'";
  return text;
}

}  // namespace sockdrill
