// Flaky cases from repeated runs, and how the terminal and the JSON folder show repeated runs.
#include "reports/flaky.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "reports/record_json.hpp"
#include "reports/writers.hpp"
#include "test_records.hpp"

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

CaseRecord run_of(CaseRecord c, int attempt, std::uint64_t seed) {
  c.name = "flip";
  c.attempt = attempt;
  c.seed = seed;
  return c;
}

TEST(Flaky, ACaseWithTwoOutcomesIsFlakyWithTheFirstRunOfEach) {
  const std::vector<CaseRecord> runs{run_of(test::passed_case(), 1, 11), run_of(test::passed_case(), 2, 22),
                                     run_of(test::failed_case(), 3, 33), run_of(test::passed_case(), 4, 44),
                                     run_of(test::failed_case(), 5, 55)};
  const std::vector<FlakyCase> expected{
      {"flip", {{Verdict::pass, "", 1, 11}, {Verdict::fail, "", 3, 33}}}};
  EXPECT_EQ(flaky_cases(runs), expected);
}

TEST(Flaky, OneOutcomeEveryTimeIsNotFlakyWhateverItsNumbers) {
  CaseRecord a = run_of(test::failed_case(), 1, 1), b = run_of(test::failed_case(), 2, 2);
  b.outcome.reason = "other numbers";
  EXPECT_TRUE(flaky_cases({a, b}).empty());
  // Another case's outcome is its own.
  CaseRecord other = test::passed_case();
  other.name = "other";
  EXPECT_TRUE(flaky_cases({a, other, b}).empty());
}

TEST(Flaky, AnotherReasonCodeIsAnotherOutcome) {
  CaseRecord timeout = run_of(test::errored_case(), 1, 1), limit = run_of(test::errored_case(), 2, 2);
  limit.outcome.code = reason_code::limit;
  ASSERT_EQ(flaky_cases({timeout, limit}).size(), 1u);
}

TEST(Flaky, AnInterruptedRunSaysNothingAboutTheCase) {
  CaseRecord stopped = run_of(test::errored_case(), 2, 2);
  stopped.outcome.code = reason_code::interrupted;
  EXPECT_TRUE(flaky_cases({run_of(test::passed_case(), 1, 1), stopped}).empty());
}

TEST(Flaky, TheTerminalNamesTheCaseBothOutcomesAndTheirSeeds) {
  RunRecord run{{run_of(test::passed_case(), 1, 11), run_of(test::errored_case(), 2, 22)}};
  run.flaky = flaky_cases(run.cases);
  std::ostringstream out;
  for (const CaseRecord& c : run.cases) write_case_result(out, c, false);
  write_flaky(out, run.flaky.front(), false);
  write_totals(out, run);
  const std::string text = out.str();
  EXPECT_NE(text.find("PASS   flip #1 "), std::string::npos) << text;
  EXPECT_NE(text.find("ERROR  flip #2 "), std::string::npos) << text;
  EXPECT_NE(text.find("FLAKY  flip: pass in run 1 with seed 11, error (timeout) in run 2 with seed 22\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("2 runs of 1 case: 1 passed, 0 failed, 1 error, 1 flaky\n"), std::string::npos)
      << text;
  std::ostringstream coloured;
  write_flaky(coloured, run.flaky.front(), true);
  EXPECT_EQ(coloured.str().rfind("\033[35mFLAKY \033[0m flip:", 0), 0u) << coloured.str();
}

TEST(Flaky, EachRunHasItsOwnReportAndTheSummaryListsTheFlaky) {
  const fs::path dir = fs::temp_directory_path() / ("sockdrill-flaky-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  RunRecord run{{run_of(test::passed_case(), 1, 11), run_of(test::failed_case(), 2, 22)}};
  run.flaky = flaky_cases(run.cases);
  write_json_dir(run, dir);
  const Json summary = Json::parse(test::slurp(dir / "summary.json"));
  EXPECT_EQ(summary["cases"][0]["report"], "cases/flip.json");
  EXPECT_EQ(summary["cases"][1]["report"], "cases/flip@2.json");
  EXPECT_EQ(summary["cases"][1]["attempt"], 2);
  EXPECT_EQ(summary["totals"]["flaky"], 1);
  EXPECT_EQ(summary["flaky"], Json::parse(R"([{"name": "flip", "outcomes": [
      {"verdict": "pass", "reason_code": "", "attempt": 1, "seed": 11},
      {"verdict": "fail", "reason_code": "", "attempt": 2, "seed": 22}]}])"));
  EXPECT_EQ(case_from_json(Json::parse(test::slurp(dir / "cases" / "flip@2.json"))), run.cases[1]);
  fs::remove_all(dir);
}

TEST(Flaky, TwoRunsThatWouldShareAReportAreRefusedBeforeAnythingIsWritten) {
  const fs::path dir = fs::temp_directory_path() / ("sockdrill-flaky2-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  CaseRecord named_like_a_run = test::passed_case();
  named_like_a_run.name = "flip@2";
  CaseRecord second_run = run_of(test::failed_case(), 2, 2);
  EXPECT_THROW(write_json_dir({{named_like_a_run, second_run}}, dir), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir));
  // Without --repeat nothing changes: no attempt, no "flaky" in the summary.
  write_json_dir({{test::passed_case()}}, dir);
  const Json summary = Json::parse(test::slurp(dir / "summary.json"));
  EXPECT_FALSE(summary.contains("flaky"));
  EXPECT_FALSE(summary["totals"].contains("flaky"));
  EXPECT_FALSE(summary["cases"][0].contains("attempt"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sockdrill::reports
