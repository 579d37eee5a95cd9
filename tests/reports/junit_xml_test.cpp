// JUnit output read back by a real JUnit reader (junitparser, as CI tools read it), whatever
// bytes the record held: suites, test names, outcomes, counts, properties and report paths.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "reports/writers.hpp"
#include "test_records.hpp"

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

// What read_junit.py FILE prints, parsed; a file it cannot read fails the test.
Json read_back(const RunRecord& run, const std::string& tag) {
  const fs::path file = fs::temp_directory_path() /
                        ("sockdrill-junit-" + tag + "-" + std::to_string(::getpid()) + ".xml");
  write_junit_file(run, file);
  const std::string command =
      std::string(SOCKDRILL_PYTHON) + " " + SOCKDRILL_READ_JUNIT + " " + file.string() + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << "the JUnit reader refused the file: " << out << "\n" << test::slurp(file);
  fs::remove(file);
  return status == 0 ? Json::parse(out) : Json::object();
}

const Json& suite_named(const Json& read, const std::string& name) {
  for (const Json& s : read["suites"])
    if (s["name"] == name) return s;
  ADD_FAILURE() << "no suite " << name << " in " << read.dump(2);
  static const Json none = Json::object();
  return none;
}

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(JUnitXml, EveryCaseIsASuiteAndEveryExpectationATest) {
  RunRecord run = test::every_verdict();
  run.report_dir = "/tmp/reports";
  const Json read = read_back(run, "shape");
  ASSERT_EQ(read["suites"].size(), 5u) << read.dump(2);
  auto outcomes = [](const Json& suite) {
    std::vector<std::pair<std::string, std::string>> got;
    for (const Json& c : suite["cases"]) got.emplace_back(c["name"], c["outcome"]);
    return got;
  };
  using Tests = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(outcomes(suite_named(read, "close_wait/forgotten")),
            (Tests{{"expect[0] server CLOSE_WAIT count 1 by 1000 ms", "passed"},
                   {"command app exit_code 0", "passed"}}));
  EXPECT_EQ(outcomes(suite_named(read, "app_exit")),
            (Tests{{"expect[0] client ESTABLISHED count 1 by 100 ms", "failure"},
                   {"expect[1] client error ECONNRESET count >= 1 100..150 ms", "error"},
                   {"command app exit_code 0", "failure"}}));
  // Ended before anything was judged: still a suite, its one test saying why.
  EXPECT_EQ(outcomes(suite_named(read, "slow")), (Tests{{"outcome", "error"}}));
  EXPECT_EQ(outcomes(suite_named(read, "server_app")), (Tests{{"outcome", "error"}}));
  EXPECT_EQ(outcomes(suite_named(read, "ipv6/clean_close")), (Tests{{"outcome", "skipped"}}));
  EXPECT_EQ(suite_named(read, "ipv6/clean_close")["cases"][0]["message"],
            "skip (ipv6): this kernel has no IPv6");
  EXPECT_EQ(suite_named(read, "ipv6/clean_close")["cases"][0]["classname"],
            "sockdrill.ipv6.clean_close");

  const Json& root = read["root"];
  EXPECT_EQ(root["tests"], "8");
  EXPECT_EQ(root["failures"], "2");
  EXPECT_EQ(root["errors"], "3");
  EXPECT_EQ(root["skipped"], "1");
  EXPECT_EQ(root["time"], "2.270");
  const Json& app = suite_named(read, "app_exit")["attributes"];
  EXPECT_EQ(app, (Json{{"name", "app_exit"}, {"tests", "3"}, {"failures", "2"}, {"errors", "1"},
                       {"skipped", "0"}, {"time", "0.170"}}));
}

TEST(JUnitXml, AnUnresolvedCaseListsItsUndecidedExpectationsUnderTheirOwnNames) {
  // Every expectation was looked at to the end: each keeps its test, as in a run that decides
  // it, and the undecided one is the error that says why.
  const Json read = read_back(RunRecord{{test::unresolved_case()}}, "unresolved");
  const Json& suite = suite_named(read, "short_window");
  ASSERT_EQ(suite["cases"].size(), 1u) << suite.dump(2);
  EXPECT_EQ(suite["cases"][0]["name"], "expect[0] server LISTEN count 1 300..301 ms");
  EXPECT_EQ(suite["cases"][0]["outcome"], "error");
  EXPECT_EQ(suite["cases"][0]["message"], "undecided: no observation of server fell in 300..301 ms");
}

TEST(JUnitXml, FailuresSayWhatWasSeenInAShortMessageAndInFull) {
  const Json read = read_back({{test::failed_case()}}, "why");
  const Json& cases = read["suites"][0]["cases"];
  EXPECT_EQ(cases[0]["message"], "expected 1, saw 0");
  EXPECT_EQ(cases[0]["text"],
            "cases/app_exit.json:9:5: /expect/0: expected 1, saw 0\n"
            "observed values: 0 from 0.0 ms\n"
            "last sample at 101.5 ms: client: no sockets\n"
            "decided at 101.5 ms\n");
  EXPECT_EQ(cases[0]["attributes"]["time"], "0.102");
  EXPECT_EQ(cases[1]["message"], "undecided: no observation fell in its window");
  // The command's stderr: its last lines, once, with what no terminal or XML file may hold
  // replaced, and "]]>" as text.
  const std::string command = cases[2]["text"];
  EXPECT_EQ(command.find("app: line 3\n"), std::string::npos) << command;
  EXPECT_NE(command.find("stderr of \"app\" (last 10 of 13 lines):\n  | app: line 4\n"),
            std::string::npos)
      << command;
  EXPECT_NE(command.find("  | app: fatal: " + kReplacement + "[31mbind" + kReplacement +
                         "[0m ]]> failed\n"),
            std::string::npos)
      << command;
  EXPECT_EQ(cases[2]["attributes"]["time"], "0.050");
}

TEST(JUnitXml, EachSuiteHasItsPropertiesAndReportPaths) {
  RunRecord run{{test::passed_case()}};
  run.report_dir = "out/reports/";
  const Json read = read_back(run, "props");
  const Json& suite = read["suites"][0];
  EXPECT_EQ(suite["properties"],
            (Json{{"file", "cases/close_wait/forgotten.json"},
                  {"verdict", "pass"},
                  {"seed", "42"},
                  {"kernel", "Linux 6.1.0 x86_64"},
                  {"isolation", "network namespace"},
                  {"sysctl.net.ipv4.tcp_fin_timeout", "2"}}));
  EXPECT_EQ(suite["system_out"],
            "report: out/reports/cases/close_wait/forgotten.json\n"
            "summary: out/reports/summary.json\n");
  EXPECT_EQ(suite["system_err"],
            "warning: the kernel dropped some socket destroy notices\n"
            "runner output:\nrunner said something\n");
  run.report_dir.reset();  // no --report: nothing to point to
  EXPECT_TRUE(read_back(run, "noreport")["suites"][0]["system_out"].is_null());
}

TEST(JUnitXml, AnyBytesComeOutAsWellFormedXml) {
  CaseRecord c = test::failed_case();
  c.name = std::string("dir/sub/a<b>&\"c'd") + "\x01\x1b";
  c.file = "cases/]]>.json";
  c.outcome = {Verdict::error, "harness", std::string("bell\x07 tab\t ]]> del\x7f end\nline 2")};
  c.command_failures.clear();
  c.peers.clear();
  c.expectations.resize(1);
  c.expectations[0].title = "a]]>b\x02";
  c.expectations[0].message =
      std::string("bad bytes \xff \xc0\x80 \xed\xa0\x80 \xef\xbf\xbf ok \xc3\xa9 \xf0\x9f\x90\x8d");
  c.runner_stderr = "cr\r ]]> \x1b[0m";
  const Json read = read_back({{c, test::skipped_case()}}, "bytes");
  ASSERT_EQ(read["suites"].size(), 2u) << read.dump(2);
  const Json& suite = read["suites"][0];
  EXPECT_EQ(suite["name"], "dir/sub/a<b>&\"c'd" + kReplacement + kReplacement);
  const Json& test = suite["cases"][0];
  EXPECT_EQ(test["name"], "expect[0] a]]>b" + kReplacement);
  EXPECT_EQ(test["classname"], "sockdrill.dir.sub.a<b>&\"c'd" + kReplacement + kReplacement);
  EXPECT_EQ(test["attributes"]["file"], "cases/]]>.json");
  EXPECT_EQ(test["outcome"], "failure");
  const std::string bad = "bad bytes " + kReplacement + " " + kReplacement + kReplacement + " " +
                          kReplacement + kReplacement + kReplacement + " " + kReplacement +
                          " ok \xc3\xa9 \xf0\x9f\x90\x8d";
  EXPECT_EQ(test["message"], bad);
  const Json& outcome = suite["cases"][1];
  // The first line only; DEL is allowed in XML 1.0, the other controls are not.
  EXPECT_EQ(outcome["message"], "error (harness): bell" + kReplacement + " tab\t ]]> del\x7f end");
  EXPECT_EQ(suite["system_err"], "runner output:\ncr\r ]]> " + kReplacement + "[0m");
}

// Names are unique even in a record that repeats an index (a hand-written or damaged file).
TEST(JUnitXml, RepeatedNamesAreMadeUnique) {
  CaseRecord c = test::failed_case();
  c.expectations[1].index = 0;
  c.expectations[1].title = c.expectations[0].title;
  const Json read = read_back({{c}}, "unique");
  const Json& cases = read["suites"][0]["cases"];
  EXPECT_EQ(cases[0]["name"], "expect[0] client ESTABLISHED count 1 by 100 ms");
  EXPECT_EQ(cases[1]["name"], "expect[0] client ESTABLISHED count 1 by 100 ms #2");
}

// Under --repeat each run of a case is its own suite, named like its report file (NAME@2).
TEST(JUnitXml, EachRunOfARepeatedCaseIsASuiteOfItsOwn) {
  CaseRecord first = test::failed_case();
  first.attempt = 1;
  CaseRecord second = first;
  second.attempt = 2;
  const Json read = read_back({{first, second}}, "repeat");
  ASSERT_EQ(read["suites"].size(), 2u) << read.dump(2);
  const std::string name = first.name;
  EXPECT_EQ(suite_named(read, name)["cases"][0]["classname"], "sockdrill." + name);
  EXPECT_EQ(suite_named(read, name + "@2")["cases"][0]["classname"], "sockdrill." + name + "@2");
  EXPECT_EQ(suite_named(read, name + "@2")["properties"]["attempt"], "2");
}

}  // namespace
}  // namespace sockdrill::reports
