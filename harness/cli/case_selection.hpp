// Which of the found cases a run or list takes: --filter GLOB and --shard K/N.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/cli/case_files.hpp"

namespace CLI {
class App;
}

namespace sockdrill {

// Shard `index` (1..count) of `count`: the cases whose name hashes to it (shard_of).
struct Shard {
  int index = 1;
  int count = 1;
};

struct Selection {
  std::vector<std::string> filters;  // fnmatch globs on case names; any of them; empty: every case
  std::optional<Shard> shard;
};

// Adds --filter GLOB (repeatable) and --shard K/N to `command`, parsed into `selection`.
void add_selection_options(CLI::App& command, Selection& selection);

// "K/N" with 1 <= K <= N: the shard, else why not (what was expected and what was seen).
std::optional<std::string> shard_problem(const std::string& text);
Shard parse_shard(const std::string& text);  // text for which shard_problem said nothing

// The shard (1..count) a case named `name` belongs to: FNV-1a (64 bits) of the name's bytes,
// mod count, plus one. Depends on the name only, so it is the same on every machine and does
// not move when other cases are added or removed.
int shard_of(std::string_view name, int count);

// What selecting did, for the messages of an empty selection.
struct Selected {
  std::vector<CaseFile> files;  // in the order found
  std::size_t matching = 0;     // cases the filters matched, before the shard was taken
};
Selected select_cases(const std::vector<CaseFile>& found, const Selection& selection);

// "--filter 'a*' or --filter 'b*'": the filters, as typed, for messages.
std::string filters_text(const Selection& selection);

}  // namespace sockdrill
