// Runs leaky_suite under the check and reads its report: only the leaky test fails, naming it once.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct SuiteRun {
  int exit_code = -1;
  std::string out;  // stdout: GoogleTest's printer
  std::string err;  // stderr
  Json report;      // --gtest_output=json:, null when none was written
};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// leaky_suite with SOCKDRILL_LEAK_CHECK=`leak_check` (unset when empty), only the tests `filter`.
SuiteRun run_suite(const std::string& leak_check, const std::string& filter) {
  const fs::path dir =
      fs::temp_directory_path() / ("sockdrill-gtest-check-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path json = dir / "report.json", err = dir / "stderr.txt";
  fs::remove(json);
  std::string command = leak_check.empty() ? "env -u SOCKDRILL_LEAK_CHECK"
                                           : "env SOCKDRILL_LEAK_CHECK=" + shell_quote(leak_check);
  command += " " + shell_quote(LEAK_CHECK_SUITE) + " --gtest_filter=" + shell_quote(filter) +
             " --gtest_output=json:" + shell_quote(json.string()) + " 2>" +
             shell_quote(err.string());
  SuiteRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen(" << command << ") failed";
    return run;
  }
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    run.out.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.err = read_file(err);
  if (fs::exists(json)) run.report = Json::parse(read_file(json));
  fs::remove_all(dir);
  return run;
}

// The array at `key` of `object`, or an empty one: a reference into `object`, never a copy.
const Json& array_at(const Json& object, const char* key) {
  static const Json empty = Json::array();
  return object.is_object() && object.contains(key) ? object.at(key) : empty;
}

// The report's test "Suite.Name", or null.
const Json* find_test(const Json& report, const std::string& full_name) {
  for (const Json& suite : array_at(report, "testsuites"))
    for (const Json& test : array_at(suite, "testsuite"))
      if (suite.value("name", "") + "." + test.value("name", "") == full_name) return &test;
  return nullptr;
}

// Every failure message of `test`, joined.
std::string failures_of(const Json& test) {
  std::string text;
  for (const Json& failure : array_at(test, "failures"))
    text += failure.value("failure", "") + "\n";
  return text;
}

// The names of the tests that failed, "Suite.Name" each.
std::vector<std::string> failed_tests(const Json& report) {
  std::vector<std::string> names;
  for (const Json& suite : array_at(report, "testsuites"))
    for (const Json& test : array_at(suite, "testsuite"))
      if (test.contains("failures"))
        names.push_back(suite.value("name", "") + "." + test.value("name", ""));
  return names;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(LeakCheckSuite, FailsExactlyTheLeakyTestNamingItsSocketOnce) {
  const SuiteRun run = run_suite("", "Leaks.*:Strict.*");
  ASSERT_FALSE(run.report.is_null()) << "no JSON report; stdout:\n"
                                     << run.out << "\nstderr:\n"
                                     << run.err;
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_EQ(run.report.value("tests", 0), 4) << run.report.dump(2);
  EXPECT_EQ(failed_tests(run.report), std::vector<std::string>{"Leaks.CloseWaitLeak"}) << run.out;

  const Json* leaky = find_test(run.report, "Leaks.CloseWaitLeak");
  ASSERT_NE(leaky, nullptr) << run.report.dump(2);
  const std::string message = failures_of(*leaky);
  const std::string fd = leaky->value("leaked_fd", "?");
  const std::string socket = leaky->value("leaked_socket", "?");
  EXPECT_NE(message.find("CLOSE_WAIT leak: pid "), std::string::npos) << message;
  EXPECT_NE(message.find(", fd " + fd + "\n"), std::string::npos)
      << "expected fd " << fd << " in:\n"
      << message;
  EXPECT_NE(message.find(socket + ", CLOSE_WAIT for "), std::string::npos)
      << "expected \"" << socket << ", CLOSE_WAIT for\" in:\n"
      << message;
  // The server sent no data: the kernel's queue of 1 is the unread FIN, not a byte.
  EXPECT_NE(message.find(", recv-q 0, send-q 0\n"), std::string::npos) << message;
  EXPECT_NE(message.find("the program did not call close() for "), std::string::npos) << message;
  EXPECT_EQ(count_of(message, "CLOSE_WAIT leak: "), 1u) << message;
  // On the printer's stdout: the failure between the test's RUN and FAILED lines.
  const auto run_line = run.out.find("[ RUN      ] Leaks.CloseWaitLeak");
  const auto failure = run.out.find("CLOSE_WAIT leak: pid ", run_line);
  const auto failed_line = run.out.find("[  FAILED  ] Leaks.CloseWaitLeak", run_line);
  ASSERT_NE(run_line, std::string::npos) << run.out;
  EXPECT_LT(failure, failed_line) << "the leak must be printed before the test's FAILED line:\n"
                                  << run.out;
  EXPECT_LT(failed_line, run.out.find("[ RUN      ] Leaks.ClosedConnectionIsClean")) << run.out;
  EXPECT_EQ(count_of(run.out, "CLOSE_WAIT leak: "), 1u) << "reported again on a later test?\n"
                                                        << run.out;
  EXPECT_EQ(run.err, "");
}

TEST(LeakCheckSuite, StrictModeReportsWhatATestLeftOpen) {
  const SuiteRun run = run_suite("strict,settle_ms=200", "Strict.*:Leaks.ClosedConnectionIsClean");
  ASSERT_FALSE(run.report.is_null()) << "no JSON report; stdout:\n"
                                     << run.out << "\nstderr:\n"
                                     << run.err;
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_EQ(failed_tests(run.report), std::vector<std::string>{"Strict.LeavesAConnectionOpen"})
      << run.out;
  const Json* open = find_test(run.report, "Strict.LeavesAConnectionOpen");
  ASSERT_NE(open, nullptr) << run.report.dump(2);
  const std::string message = failures_of(*open);
  EXPECT_EQ(std::to_string(count_of(message, "still open after the test: pid ")),
            open->value("open_sockets", "?"))
      << message;
  EXPECT_EQ(count_of(message, ", ESTABLISHED for "), 2u) << message;
  EXPECT_NE(message.find("settle 200 ms"), std::string::npos) << "the override's settle time:\n"
                                                              << message;
}

TEST(LeakCheckSuite, AnInvalidOverrideStopsTheRunSayingWhatWasExpected) {
  const SuiteRun run = run_suite("settle_ms=soon", "Leaks.*");
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("SOCKDRILL_LEAK_CHECK: \"settle_ms=soon\": expected settle_ms=N"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.out.find("[ RUN      ]"), std::string::npos) << "no test may run:\n" << run.out;
}

}  // namespace
