// End-to-end tests of the command line: help, version, usage errors, case selection, list, --seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/harness/cli_support.hpp"

namespace {

using namespace sockdrill::cli_test;
using sockdrill::Json;

const std::string kLibrary = (kHere.parent_path().parent_path() / "cases").string();
const std::string kSeeded = (kHere / "command_line" / "seeded.json").string();

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The case names `sockdrill list` printed: the first word of each line.
std::vector<std::string> listed_names(const std::string& output) {
  std::vector<std::string> names;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name;
    if (words >> name) names.push_back(name);
  }
  return names;
}

std::vector<std::string> list(std::vector<std::string> args, int expected_status = 0) {
  args.insert(args.begin(), "list");
  Outcome o = run_sockdrill(args);
  EXPECT_EQ(o.status, expected_status) << o.output;
  return listed_names(o.output);
}

// ---- help, version, usage errors ----

TEST(CommandLine, EachCommandsHelpShowsItsOwnOptions) {
  struct Expected {
    std::string command;
    std::vector<std::string> shown, not_shown;
  };
  for (const Expected& e :
       {Expected{"run",
                 {"--report DIR", "--junit FILE", "--peer PATH", "--define NAME=VALUE", "--filter GLOB",
                  "--shard K/N", "--seed S", "--jobs N", "--repeat N", "--pcap DIR"},
                 {}},
        Expected{"check", {"--define NAME=VALUE"}, {"--report", "--shard", "--seed"}},
        Expected{"list", {"--filter GLOB", "--shard K/N", "--define NAME=VALUE"}, {"--report", "--seed", "--jobs"}}}) {
    Outcome o = run_sockdrill({e.command, "--help"});
    EXPECT_EQ(o.status, 0) << o.output;
    EXPECT_TRUE(has(o.output, "sockdrill " + e.command)) << o.output;
    EXPECT_TRUE(has(o.output, "docs/case-format.md")) << o.output;
    for (const std::string& option : e.shown) EXPECT_TRUE(has(o.output, option)) << option << " missing:\n" << o.output;
    for (const std::string& option : e.not_shown) EXPECT_FALSE(has(o.output, option)) << option << " shown:\n" << o.output;
    EXPECT_EQ(run_sockdrill({"help", e.command}).output, o.output);
  }
  Outcome all = run_sockdrill({"--help"});
  EXPECT_EQ(all.status, 0) << all.output;
  for (const char* part : {"run", "check", "list", "--shard K/N", "docs/case-format.md"})
    EXPECT_TRUE(has(all.output, part)) << part << " missing:\n" << all.output;
}

TEST(CommandLine, VersionSaysWhichSockdrill) {
  Outcome o = run_sockdrill({"--version"});
  EXPECT_EQ(o.status, 0) << o.output;
  ASSERT_EQ(o.output.rfind("sockdrill ", 0), 0u) << o.output;
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(o.output[10]))) << o.output;
}

TEST(CommandLine, AnUnknownOptionIsNamedWithThatCommandsUsage) {
  Outcome check = run_sockdrill({"check", "--bogus", kSeeded});
  EXPECT_EQ(check.status, 2) << check.output;
  EXPECT_TRUE(has(check.output, "sockdrill check: unknown option --bogus")) << check.output;
  EXPECT_TRUE(has(check.output, "Usage: sockdrill check")) << check.output;
  EXPECT_FALSE(has(check.output, "--report")) << "the usage of another command:\n" << check.output;

  Outcome typo = run_sockdrill({"run", "--reprot", "out", kSeeded});
  EXPECT_EQ(typo.status, 2) << typo.output;
  EXPECT_TRUE(has(typo.output, "sockdrill run: unknown option --reprot (did you mean --report?)")) << typo.output;
  EXPECT_TRUE(has(typo.output, "Usage: sockdrill run")) << typo.output;

  Outcome command = run_sockdrill({"lsit"});
  EXPECT_EQ(command.status, 2) << command.output;
  EXPECT_TRUE(has(command.output, "unknown command \"lsit\" (did you mean list?)")) << command.output;

  Outcome nothing = run_sockdrill({});
  EXPECT_EQ(nothing.status, 2) << nothing.output;
  EXPECT_TRUE(has(nothing.output, "Usage: sockdrill")) << nothing.output;
}

TEST(CommandLine, OutOfRangeValuesAreUsageErrorsNamingTheOption) {
  using Args = std::vector<std::string>;
  for (const auto& [args, part] :
       {std::pair{Args{"--jobs", "0"}, "--jobs"}, std::pair{Args{"--jobs", "65"}, "--jobs"},
        std::pair{Args{"--jobs", "many"}, "--jobs"}, std::pair{Args{"--repeat", "0"}, "--repeat"},
        std::pair{Args{"--repeat", "1001"}, "--repeat"}, std::pair{Args{"--seed", "-1"}, "--seed"},
        std::pair{Args{"--seed", "9223372036854775808"}, "--seed"},
        std::pair{Args{"--shard", "3/2"}, "expected K of K/N from 1 to 2, got \"3/2\""},
        std::pair{Args{"--shard", "0/2"}, "expected K of K/N from 1 to 2, got \"0/2\""},
        std::pair{Args{"--shard", "1/0"}, "expected N of K/N to be at least 1"},
        std::pair{Args{"--shard", "half"}, "expected K/N, two whole numbers"},
        std::pair{Args{"--shard", "1/2/3"}, "expected K/N, two whole numbers"}}) {
    Args full{"run"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back(kSeeded);
    Outcome o = run_sockdrill(full);
    EXPECT_EQ(o.status, 2) << args[0] << " " << args[1] << ":\n" << o.output;
    EXPECT_TRUE(has(o.output, "sockdrill run: ")) << o.output;
    EXPECT_TRUE(has(o.output, part)) << part << " missing:\n" << o.output;
    EXPECT_TRUE(has(o.output, "Usage: sockdrill run")) << o.output;
    EXPECT_FALSE(has(o.output, "PASS")) << "a case ran:\n" << o.output;
  }
}

TEST(CommandLine, AnUnwritablePcapFolderIsRefusedBeforeTheRun) {
  fs::path dir = temp_dir("pcap_unwritable");
  { std::ofstream(dir / "plain") << "a file, not a folder"; }
  const std::string under_file = (dir / "plain" / "pcaps").string();
  Outcome o = run_sockdrill({"run", "--pcap", under_file, kSeeded});
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_TRUE(has(o.output, "--pcap " + under_file + ": cannot write there: ")) << o.output;
  EXPECT_FALSE(has(o.output, "PASS")) << "a case ran:\n" << o.output;
  fs::remove_all(dir);
}

// ---- list and case selection ----

TEST(CaseSelection, ListShowsEachCaseWithTheFirstLineOfItsAbout) {
  Outcome o = run_sockdrill({"list", kSeeded});
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(o.output, "seeded  Harness test: a --seed on the command line wins over this file's seed.\n");
  const std::vector<std::string> library = list({kLibrary});
  EXPECT_GE(library.size(), 50u);
  EXPECT_NE(std::find(library.begin(), library.end(), "close_wait/forgotten_close"), library.end());
}

TEST(CaseSelection, FiltersKeepTheCasesAnyOfThemMatches) {
  const std::vector<std::string> close_wait = list({"--filter", "close_wait/*", kLibrary});
  ASSERT_FALSE(close_wait.empty());
  for (const std::string& name : close_wait) EXPECT_EQ(name.rfind("close_wait/", 0), 0u) << name;
  const std::vector<std::string> either = list({"--filter", "close_wait/*", "--filter=*reset*", kLibrary});
  EXPECT_GT(either.size(), close_wait.size());
  for (const std::string& name : either)
    EXPECT_TRUE(name.rfind("close_wait/", 0) == 0 || has(name, "reset")) << name;

  // (run is given one short case: were the filter ignored, it would not run the library.)
  for (const auto& [command, path] : {std::pair{"list", kLibrary}, std::pair{"run", kSeeded}}) {
    Outcome none = run_sockdrill({command, "--filter", "no_such_case*", path});
    EXPECT_EQ(none.status, 2) << none.output;
    EXPECT_TRUE(has(none.output, "expected --filter 'no_such_case*' to match a case name, matched none of the"))
        << none.output;
  }
}

// CI machines each take --shard K/N: together they take every case once.
TEST(CaseSelection, ShardsTakeEveryCaseExactlyOnce) {
  const std::vector<std::string> all = list({kLibrary});
  std::vector<std::string> first = list({"--shard", "1/2", kLibrary});
  std::vector<std::string> second = list({"--shard=2/2", kLibrary});
  EXPECT_FALSE(first.empty());
  EXPECT_FALSE(second.empty());
  std::vector<std::string> both = first;
  both.insert(both.end(), second.begin(), second.end());
  std::sort(both.begin(), both.end());
  std::vector<std::string> sorted_all = all;
  std::sort(sorted_all.begin(), sorted_all.end());
  EXPECT_EQ(both, sorted_all);  // every case, none twice
  EXPECT_EQ(list({"--shard", "1/1", kLibrary}), all);

  // A case's shard follows from its name alone: filtering out other cases moves none.
  const std::set<std::string> first_set(first.begin(), first.end());
  for (const std::string& name : list({"--filter", "close_wait/*", "--shard", "1/2", kLibrary}))
    EXPECT_TRUE(first_set.count(name)) << name << " changed shard when other cases were left out";
}

// A shard may hold none of few cases: that must not fail the CI machine that drew it.
TEST(CaseSelection, AnEmptyShardIsNoFailure) {
  std::vector<std::string> empty_shards;
  for (const char* shard : {"1/2", "2/2"}) {
    Outcome listed = run_sockdrill({"list", "--shard", shard, kSeeded});
    EXPECT_EQ(listed.status, 0) << listed.output;
    if (!has(listed.output, "seeded  Harness test")) empty_shards.push_back(shard);
  }
  ASSERT_EQ(empty_shards.size(), 1u);
  const std::string& shard = empty_shards.front();
  // The largest --jobs and --repeat are accepted; nothing runs.
  Outcome o = run_sockdrill({"run", "--shard", shard, "--jobs", "64", "--repeat", "1000", kSeeded});
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_TRUE(has(o.output, "sockdrill run: shard " + shard + " holds none of the 1 case selected")) << o.output;
  EXPECT_TRUE(has(o.output, "0 cases")) << o.output;
}

// --seed S replaces the file's seed (7) and is the seed in the report.
TEST(CaseSelection, SeedReachesTheRecord) {
  fs::path dir = temp_dir("seed");
  Outcome o = run_sockdrill({"run", "--seed", "4242", "--report", dir.string(), kSeeded});
  EXPECT_EQ(o.status, 0) << o.output;
  Json summary = read_json(dir / "summary.json");
  ASSERT_EQ(summary["cases"].size(), 1u) << summary.dump(2);
  EXPECT_EQ(summary["cases"][0]["seed"], 4242) << summary.dump(2);
  fs::remove_all(dir);
}

}  // namespace
