// Totals and the names of verdicts and results, one spelling each for every writer.
#include "reports/record.hpp"

#include <array>

namespace sockdrill::reports {
namespace {

constexpr std::array<std::pair<Verdict, std::string_view>, 4> kVerdicts{{{Verdict::pass, "pass"},
                                                                         {Verdict::fail, "fail"},
                                                                         {Verdict::error, "error"},
                                                                         {Verdict::skip, "skip"}}};

using Result = ExpectationRecord::Result;
constexpr std::array<std::pair<Result, std::string_view>, 3> kResults{
    {{Result::pass, "pass"}, {Result::fail, "fail"}, {Result::undecided, "undecided"}}};

template <typename Table, typename Value>
std::string_view name_in(const Table& table, Value v) {
  for (auto& [value, name] : table)
    if (value == v) return name;
  return "?";
}

template <typename Table>
auto value_in(const Table& table, std::string_view name)
    -> std::optional<typename Table::value_type::first_type> {
  for (auto& [value, known] : table)
    if (known == name) return value;
  return std::nullopt;
}

}  // namespace

std::string run_name(const CaseRecord& c) {
  const bool later_run = c.attempt && *c.attempt > 1;
  return c.name + (later_run ? "@" + std::to_string(*c.attempt) : "");
}

Totals totals(const RunRecord& run) {
  Totals t;
  for (const CaseRecord& c : run.cases) {
    ++t.cases;
    const Verdict v = c.outcome.verdict;
    t.pass += v == Verdict::pass;
    t.fail += v == Verdict::fail;
    t.error += v == Verdict::error;
    t.skip += v == Verdict::skip;
  }
  t.flaky = static_cast<std::int64_t>(run.flaky.size());
  return t;
}

std::string_view verdict_name(Verdict v) {
  return name_in(kVerdicts, v);
}

std::optional<Verdict> verdict_from_name(std::string_view name) {
  return value_in(kVerdicts, name);
}

std::string_view result_name(Result r) {
  return name_in(kResults, r);
}

std::optional<Result> result_from_name(std::string_view name) {
  if (name == "pending") return Result::undecided;  // what reports said before "undecided"
  return value_in(kResults, name);
}

CaseRecord error_case(std::string name, std::string file, std::string_view code,
                      std::string reason) {
  CaseRecord c;
  c.name = std::move(name);
  c.file = std::move(file);
  c.outcome = {Verdict::error, std::string(code), std::move(reason)};
  return c;
}

}  // namespace sockdrill::reports
