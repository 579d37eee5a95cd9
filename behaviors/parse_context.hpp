// What every step, option and toxic parse gets: where problems go, and what it must tell the
// case parser (the cues it waits on).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/json.hpp"

namespace sockdrill::behaviors {

struct ParseContext {
  Diagnostics& diag;
  // Every cue a wait step waits on, with the pointer of that step ("/peers/c/steps/2"), so the
  // case parser can check that the timeline gives it.
  std::vector<std::pair<std::string, std::string>> cues_waited;
};

// Whether a parse added no diagnostic since this was made: a unit reports every problem it
// finds, then returns nothing if any was its own.
class NoNewErrors {
 public:
  explicit NoNewErrors(const Diagnostics& d) : diag_(d), before_(d.items().size()) {}
  bool operator()() const { return diag_.items().size() == before_; }

 private:
  const Diagnostics& diag_;
  std::size_t before_;
};

// "a, b, c": the names in a table (its `member`), for "expected one of" messages.
template <typename Table, typename Member>
std::string names_of(const Table& table, Member member) {
  std::string list;
  for (const auto& row : table) list += (list.empty() ? "" : ", ") + std::string(row.*member);
  return list;
}

}  // namespace sockdrill::behaviors
