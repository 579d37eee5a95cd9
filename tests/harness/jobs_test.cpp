// End-to-end tests of --jobs, --repeat and the live terminal: parallel runs, flaky cases, TTYs.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>

#include "cli_support.hpp"

namespace sockdrill::cli_test {
namespace {

Outcome run_shell(const std::string& command) {
  Outcome o;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) o.output.append(buf, n);
  const int st = ::pclose(p);
  o.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return o;
}

// name -> verdict, in the order of summary.json.
std::vector<std::pair<std::string, std::string>> outcomes_in(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  const Json summary = read_json(dir / "summary.json");  // kept: a loop over a temporary's part dangles
  for (const Json& c : summary["cases"])
    out.emplace_back(c["name"].get<std::string>(), c["verdict"].get<std::string>());
  return out;
}

TEST(Jobs, ParallelRunGivesTheSerialVerdictsInTheSameOrder) {
  const fs::path one = temp_dir("jobs1"), three = temp_dir("jobs3");
  std::vector<std::string> files;
  for (const char* name : {"start_order", "command_client", "bytes_as_they_move", "late_proxy_on_the_wire"})
    files.push_back((kHere / "right" / (std::string(name) + ".json")).string());
  for (const char* name : {"bytes_miscounted", "command_exit_code"})
    files.push_back((kHere / "wrong" / (std::string(name) + ".json")).string());
  auto args = [&](const char* jobs, const fs::path& dir) {
    std::vector<std::string> a{"run", "--jobs", jobs, "--report", dir.string()};
    a.insert(a.end(), files.begin(), files.end());
    return a;
  };
  const Outcome serial = run_sockdrill(args("1", one));
  const Outcome parallel = run_sockdrill(args("3", three));
  EXPECT_EQ(parallel.status, serial.status) << serial.output << "\n---\n" << parallel.output;
  const auto expected = outcomes_in(one);
  ASSERT_EQ(expected.size(), files.size());
  EXPECT_EQ(outcomes_in(three), expected) << "one at a time:\n" << serial.output << "\n--- three at once:\n"
                                          << parallel.output;
  fs::remove_all(one);
  fs::remove_all(three);
}

// b_meet and c_meet pass only when they run at the same time; a_slow ends after them.
TEST(Jobs, CasesRunAtOnceAndTheirRecordsKeepTheOrderOfTheFiles) {
  const fs::path dir = temp_dir("jobs_meet"), meeting = temp_dir("jobs_meeting");
  const Outcome o = run_sockdrill({"run", "--jobs", "3", "--define", "meeting=" + meeting.string(),
                                   "--report", dir.string(), (kHere / "jobs").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  const std::vector<std::pair<std::string, std::string>> expected{
      {"a_slow", "pass"}, {"b_meet", "pass"}, {"c_meet", "pass"}};
  EXPECT_EQ(outcomes_in(dir), expected) << o.output;
  fs::remove_all(dir);
  fs::remove_all(meeting);
}

TEST(Jobs, ASignalStopsEveryRunningCaseAndStartsNoOther) {
  const fs::path dir = temp_dir("jobs_sigterm"), cases = temp_dir("jobs_sigterm_cases");
  for (const char* name : {"jobs_int_a", "jobs_int_b", "jobs_int_c"})
    fs::copy_file(kHere / "cleanup" / "long_hold.json", cases / (std::string(name) + ".json"));
  pid_t pid = spawn_sockdrill({"run", "--jobs", "2", "--report", dir.string(), cases.string()},
                              dir / "log");
  ASSERT_TRUE(wait_for([] {
    return processes_matching("--case jobs_int_a --peer").size() >= 2 &&
           processes_matching("--case jobs_int_b --peer").size() >= 2;
  }, 10000)) << slurp(dir / "log");
  ::kill(pid, SIGTERM);
  EXPECT_EQ(wait_status(pid), 130) << slurp(dir / "log");
  EXPECT_TRUE(wait_for([] { return processes_matching("jobs_int_").empty(); }, 3000))
      << processes_matching("jobs_int_").size() << " left";
  const Json summary = read_json(dir / "summary.json");
  ASSERT_EQ(summary["cases"].size(), 2u) << summary.dump(2);  // jobs_int_c never started
  for (const Json& c : summary["cases"]) {
    EXPECT_EQ(c["reason_code"], "interrupted") << c.dump(2);
    EXPECT_NE(c["reason"].get<std::string>().find("interrupted by SIGTERM"), std::string::npos)
        << c["reason"];
  }
  EXPECT_EQ(summary["cases"][0]["name"], "jobs_int_a");
  EXPECT_EQ(summary["cases"][1]["name"], "jobs_int_b");
  fs::remove_all(dir);
  fs::remove_all(cases);
}

// flip passes and fails in turn (its state in a folder of the test's); stable always passes.
// Two jobs: the runs of one case never overlap, or flip's state file would be raced.
TEST(Repeat, ACaseWhoseOutcomeChangesIsFlakyWithTheSeedsOfBoth) {
  const fs::path dir = temp_dir("repeat"), state = temp_dir("repeat_state");
  const Outcome o = run_sockdrill({"run", "--repeat", "5", "--jobs", "2", "--define",
                                   "state=" + state.string(), "--report", dir.string(),
                                   (kHere / "repeat").string()});
  EXPECT_EQ(o.status, 1) << o.output;
  EXPECT_NE(o.output.find("FLAKY  flip: pass in run 1 with seed "), std::string::npos) << o.output;
  EXPECT_NE(o.output.find(", fail in run 2 with seed "), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("FLAKY  stable"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("10 runs of 2 cases: 8 passed, 2 failed, 0 errors, 1 flaky"),
            std::string::npos) << o.output;
  EXPECT_NE(o.output.find("flip #5"), std::string::npos) << o.output;
  const Json summary = read_json(dir / "summary.json");
  ASSERT_EQ(summary["cases"].size(), 10u);
  EXPECT_EQ(summary["totals"]["flaky"], 1);
  ASSERT_EQ(summary["flaky"].size(), 1u) << summary.dump(2);
  const Json& flaky = summary["flaky"][0];
  EXPECT_EQ(flaky["name"], "flip");
  ASSERT_EQ(flaky["outcomes"].size(), 2u);
  EXPECT_EQ(flaky["outcomes"][0]["verdict"], "pass");
  EXPECT_EQ(flaky["outcomes"][1]["verdict"], "fail");
  EXPECT_EQ(flaky["outcomes"][1]["attempt"], 2);
  // Each run has its own seed, and its own report.
  EXPECT_TRUE(flaky["outcomes"][0]["seed"].is_number());
  EXPECT_NE(flaky["outcomes"][0]["seed"], flaky["outcomes"][1]["seed"]);
  for (int attempt = 1; attempt <= 5; ++attempt) {
    const Json& run = summary["cases"][attempt - 1];
    EXPECT_EQ(run["name"], "flip");
    EXPECT_EQ(run["attempt"], attempt);
    EXPECT_EQ(run["verdict"], attempt % 2 ? "pass" : "fail");
    const std::string report = attempt == 1 ? "cases/flip.json"
                                            : "cases/flip@" + std::to_string(attempt) + ".json";
    EXPECT_EQ(run["report"], report);
    EXPECT_EQ(read_json(dir / report)["attempt"], attempt);
  }
  fs::remove_all(dir);
  fs::remove_all(state);
}

TEST(Repeat, StableCasesRepeatedPassTheRun) {
  const Outcome o = run_sockdrill({"run", "--repeat", "3", (kHere / "repeat" / "stable.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("3 runs of 1 case: 3 passed, 0 failed, 0 errors\n"), std::string::npos)
      << o.output;
  EXPECT_EQ(o.output.find("FLAKY"), std::string::npos) << o.output;
}

// On a pseudo-terminal (script(1)): the progress line drawn in place, and colour.
Outcome run_on_a_terminal(const std::string& env, const std::vector<std::string>& args) {
  std::string inner = env + " SOCKDRILL_PEER=" + shell_quote(kPeer) + " " + shell_quote(kSockdrill);
  for (const auto& a : args) inner += " " + shell_quote(a);
  return run_shell("script -qec " + shell_quote(inner) + " /dev/null");
}

TEST(Terminal, ATerminalGetsAProgressLineRedrawnInPlaceAndColour) {
  const std::string file = (kHere / "repeat" / "stable.json").string();
  const Outcome tty = run_on_a_terminal("TERM=xterm NO_COLOR=", {"run", "--repeat", "2", file});
  EXPECT_EQ(tty.status, 0) << tty.output;
  EXPECT_NE(tty.output.find("\r\033[K0 s | 0 done, 1 running, 1 left | stable"), std::string::npos)
      << tty.output;
  EXPECT_NE(tty.output.find("\r\033[K\033[32mPASS  \033[0m stable #1"), std::string::npos)
      << tty.output;
  // Removed at the end: the totals are the last line, on a clean line.
  EXPECT_NE(tty.output.find("\r\033[K2 runs of 1 case"), std::string::npos) << tty.output;
  for (const char* plain_env : {"TERM=xterm NO_COLOR=1", "TERM=dumb NO_COLOR="}) {
    const Outcome plain = run_on_a_terminal(plain_env, {"run", file});
    EXPECT_EQ(plain.status, 0) << plain.output;
    EXPECT_EQ(plain.output.find('\033'), std::string::npos) << plain_env << ": " << plain.output;
    EXPECT_EQ(plain.output.find("running,"), std::string::npos) << plain_env << ": " << plain.output;
  }
}

TEST(Terminal, NotATerminalGetsPlainLines) {
  const Outcome o = run_sockdrill({"run", (kHere / "repeat" / "stable.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(o.output.find('\033'), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find('\r'), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("PASS   stable"), std::string::npos) << o.output;
}

}  // namespace
}  // namespace sockdrill::cli_test
