// The writers against expected outputs, their error checks and the table that lists them.
#include "reports/writers.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <locale>
#include <sstream>

#include "reports/record_json.hpp"
#include "test_records.hpp"

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

using test::kFixtures;
using test::slurp;

const fs::path kExpected = kFixtures.parent_path() / "expected";

fs::path fresh_dir(const std::string& tag) {
  fs::path dir =
      fs::temp_directory_path() / ("sockdrill-reports-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

// `text` is the approved file's; SOCKDRILL_APPROVE=1 writes it there instead (then review the
// change with git diff before committing it).
void expect_approved(const std::string& text, const fs::path& approved) {
  if (std::getenv("SOCKDRILL_APPROVE")) {
    std::ofstream(approved, std::ios::binary) << text;
    return;
  }
  EXPECT_EQ(text, slurp(approved)) << "approved file: " << approved.string();
}

RunRecord fixture_records() {
  RunRecord run;
  for (const char* name : {"command_exit_code", "past_time_limit", "syn_dropped", "toxic_timeline",
                           "frees_close_wait", "start_order", "bytes_miscounted"})
    run.cases.push_back(
        case_from_json(Json::parse(slurp(kFixtures / (std::string(name) + ".json")))));
  return run;
}

std::string terminal_text(const RunRecord& run, bool color) {
  std::ostringstream out;
  for (const CaseRecord& c : run.cases) write_case_result(out, c, color);
  write_totals(out, run);
  return out.str();
}

TEST(Terminal, MatchesTheExpectedText) {
  expect_approved(terminal_text(test::every_verdict(), false), kExpected / "terminal.txt");
}

// A command's stderr is shown under the line about it (the outcome's, when it could not start),
// its last lines only, once for the case however many expectations there are.
TEST(Terminal, ACommandsStderrIsShownOnceUnderWhatItExplains) {
  std::ostringstream out;
  write_case_result(out, test::failed_case(), false);
  const std::string text = out.str();
  const std::size_t command_line = text.find("/peers/app/command/exit_code: ");
  const std::size_t heading = text.find("       stderr of \"app\" (last 10 of 13 lines):\n");
  ASSERT_NE(heading, std::string::npos) << text;
  EXPECT_LT(command_line, heading);
  EXPECT_LT(heading, text.find("/expect/0: "));
  EXPECT_EQ(text.find("app: line 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("         | app: line 4\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("\033"), std::string::npos) << "a program's escape codes reached the terminal";
  EXPECT_EQ(text.find("app: fatal"), text.rfind("app: fatal")) << text;

  std::ostringstream unstarted;
  write_case_result(unstarted, test::unstarted_case(), false);
  EXPECT_EQ(unstarted.str(),
            "ERROR  server_app                                       0.06 s\n"
            "       error (peer_died): command \"app\" exited with status 1 before it listened "
            "(other peers connect to it)\n"
            "       stderr of \"app\":\n"
            "         | app: bind 127.0.0.1:8080: Address already in use\n"
            "       cases/server_app.json:12:5: /expect/0: undecided: the case ended before this "
            "was decided\n");
  // A command that exited as expected explains nothing, whatever it wrote.
  CaseRecord as_expected = test::failed_case();
  as_expected.command_failures.clear();
  as_expected.peers[0].expected_exit_code = 3;
  std::ostringstream quiet;
  write_case_result(quiet, as_expected, false);
  EXPECT_EQ(quiet.str().find("stderr of"), std::string::npos) << quiet.str();
}

// Lines that tests/harness/cli_test.cpp and people rely on, as the old report code wrote them.
TEST(Terminal, PassAndFailLinesAreAsBefore) {
  std::ostringstream out;
  for (const char* name : {"command_exit_code", "bytes_miscounted"})
    write_case_result(
        out, case_from_json(Json::parse(slurp(kFixtures / (std::string(name) + ".json")))), false);
  expect_approved(out.str(), kExpected / "terminal_before.txt");
}

TEST(Terminal, ColourOnlyWhenAsked) {
  const RunRecord run = test::every_verdict();
  EXPECT_EQ(terminal_text(run, false).find('\033'), std::string::npos);
  const std::string coloured = terminal_text(run, true);
  EXPECT_NE(coloured.find("\033[32mPASS  \033[0m close_wait/forgotten"), std::string::npos)
      << coloured;
  EXPECT_NE(coloured.find("\033[31mFAIL  \033[0m app_exit"), std::string::npos);
  EXPECT_NE(coloured.find("\033[33mSKIP  \033[0m ipv6/clean_close"), std::string::npos);
}

TEST(Terminal, TotalsSayOneCaseAndOneError) {
  std::ostringstream out;
  write_totals(out, {{test::errored_case()}});
  EXPECT_EQ(out.str(), "1 case: 0 passed, 0 failed, 1 error\n");
}

TEST(JsonDir, WritesTheSummaryAndOneReportPerCase) {
  const fs::path dir = fresh_dir("json");
  const RunRecord run = test::every_verdict();
  write_json_dir(run, dir);
  expect_approved(slurp(dir / "summary.json"), kExpected / "summary.json");
  for (const CaseRecord& c : run.cases)
    EXPECT_EQ(case_from_json(Json::parse(slurp(dir / "cases" / (c.name + ".json")))), c) << c.name;
  EXPECT_TRUE(fs::is_regular_file(dir / "cases" / "close_wait" / "forgotten.json"));
  for (const CaseRecord& c : run.cases)  // each case's trace beside its report
    EXPECT_EQ(Json::parse(slurp(dir / "cases" / (c.name + ".trace.json"))), trace_json({{c}}))
        << c.name;
  fs::remove_all(dir);
}

TEST(JsonDir, RefusesNamesThatCouldLeaveTheFolder) {
  const fs::path dir = fresh_dir("names");
  for (const char* name :
       {"../escape", "a/../../escape", "/tmp/absolute", "a//b", "a/./b", "", "a/", ".", ".."}) {
    CaseRecord c = test::passed_case();
    c.name = name;
    EXPECT_THROW(write_json_dir({{test::failed_case(), c}}, dir / "out"), std::invalid_argument)
        << name;
    EXPECT_FALSE(fs::exists(dir)) << name << ": something was written";
  }
  EXPECT_FALSE(fs::exists(fs::temp_directory_path() / "escape.json"));
}

TEST(JUnit, MatchesTheExpectedXml) {
  RunRecord run = test::every_verdict();
  run.report_dir = "/tmp/reports";
  std::ostringstream out;
  write_junit(run, out);
  expect_approved(out.str(), kExpected / "junit.xml");
}

// The records of real runs (tests/reports/fixtures), as a CI system would get them.
TEST(JUnit, MatchesTheExpectedXmlOfRealRecords) {
  std::ostringstream out;
  write_junit(fixture_records(), out);
  expect_approved(out.str(), kExpected / "junit_fixtures.xml");
}

// A locale with ',' for decimals and grouping of thousands, set globally as a program might.
struct CommaDecimals : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

TEST(JUnit, NumbersDoNotFollowTheGlobalLocale) {
  RunRecord run;
  for (int i = 0; i < 1001; ++i) run.cases.push_back(test::skipped_case());
  run.cases.front().duration_ms = 1234567;
  run.cases.back().duration_ms = 1234;
  std::ostringstream classic;
  write_junit(run, classic);
  const std::locale before =
      std::locale::global(std::locale(std::locale::classic(), new CommaDecimals));
  std::ostringstream local;
  local.imbue(std::locale());
  write_junit(run, local);
  const fs::path file = fresh_dir("locale.xml");
  write_junit_file(run, file);
  std::ostringstream terminal;
  terminal.imbue(std::locale());
  write_totals(terminal, run);
  write_case_result(terminal, run.cases.front(), false);
  std::locale::global(before);
  EXPECT_EQ(local.str(), classic.str());
  EXPECT_EQ(slurp(file), classic.str());
  EXPECT_NE(classic.str().find("tests=\"1001\""), std::string::npos);
  EXPECT_NE(classic.str().find("time=\"1234.567\""), std::string::npos)
      << classic.str().substr(0, 300);
  EXPECT_NE(classic.str().find("time=\"1.234\""), std::string::npos);
  EXPECT_NE(terminal.str().find("1001 cases: 0 passed, 0 failed, 0 errors, 1001 skipped"),
            std::string::npos);
  EXPECT_NE(terminal.str().find(" 1234.57 s"), std::string::npos) << terminal.str();
  fs::remove(file);
}

// Writing to /dev/full fails with ENOSPC at the flush: that must be an error, never silence.
TEST(WriteErrors, AFullDeviceThrowsNamingTheFileAndTheReason) {
  ASSERT_TRUE(fs::exists("/dev/full"));
  try {
    write_junit_file(test::every_verdict(), "/dev/full");
    ADD_FAILURE() << "writing to /dev/full did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/full"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  // A case report that lands on /dev/full (through a link) fails the same way.
  const fs::path dir = fresh_dir("full");
  fs::create_directories(dir / "cases");
  fs::create_symlink("/dev/full", dir / "cases" / "slow.json");
  EXPECT_THROW(write_json_dir({{test::errored_case()}}, dir), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir / "summary.json"));
  // Even a body too small to fill a buffer is caught at the flush.
  EXPECT_THROW(write_checked("/dev/full", [](std::ostream& out) { out << "x"; }),
               std::runtime_error);
  fs::remove_all(dir);
}

TEST(Destinations, WritableOnesPassAndFoldersAreMade) {
  const fs::path dir = fresh_dir("dest");
  EXPECT_EQ(destination_problem(Destination::folder, dir / "a" / "b"), std::nullopt);
  EXPECT_TRUE(fs::is_directory(dir / "a" / "b"));
  EXPECT_EQ(destination_problem(Destination::file, dir / "c" / "junit.xml"), std::nullopt);
  EXPECT_TRUE(fs::is_directory(dir / "c"));
  EXPECT_FALSE(fs::exists(dir / "c" / "junit.xml"));
  EXPECT_TRUE(fs::is_empty(dir / "a" / "b"));  // the probe file is gone
  EXPECT_EQ(destination_problem(Destination::file, "/dev/full"), std::nullopt);  // fails later
  fs::remove_all(dir);
}

TEST(Destinations, UnwritableOnesSayWhy) {
  const fs::path dir = fresh_dir("undest");
  fs::create_directories(dir);
  { std::ofstream(dir / "plain") << "x"; }
  auto problem = destination_problem(Destination::folder, dir / "plain" / "reports");
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("Not a directory"), std::string::npos) << *problem;
  EXPECT_TRUE(destination_problem(Destination::file, dir / "plain" / "junit.xml"));
  EXPECT_TRUE(destination_problem(Destination::folder, dir / "plain"));
  problem = destination_problem(Destination::file, dir);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("folder"), std::string::npos) << *problem;
  fs::remove_all(dir);
}

TEST(WriterTable, EachRowIsCompleteAndFoundByItsOption) {
  std::set<std::string_view> options;
  for (const Writer& w : file_writers()) {
    EXPECT_FALSE(w.name.empty());
    EXPECT_EQ(w.option.rfind("--", 0), 0u) << w.option;
    EXPECT_FALSE(w.writes.empty());
    EXPECT_NE(w.write, nullptr);
    EXPECT_TRUE(options.insert(w.option).second) << "twice: " << w.option;
    EXPECT_EQ(writer_for_option(w.option), &w);
  }
  EXPECT_EQ(writer_for_option("--report")->write, &write_json_dir);
  EXPECT_EQ(writer_for_option("--junit")->write, &write_junit_file);
  EXPECT_EQ(writer_for_option("--trace")->write, &write_trace_file);
  EXPECT_EQ(writer_for_option("--nothing"), nullptr);
}

}  // namespace
}  // namespace sockdrill::reports
