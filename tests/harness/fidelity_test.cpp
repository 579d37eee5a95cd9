// End-to-end tests of verdicts just outside the usual envelope: each is the program's pass or
// fail only when the kernel said so, and `error` with its reason when the harness could not tell.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <set>

#include "tests/harness/cli_support.hpp"
#include "tests/harness/run_one.hpp"

namespace {

using namespace sockdrill::cli_test;
using sockdrill::Json;

const fs::path kFidelity = kHere / "fidelity";

TEST(Fidelity, AnExitStatusAfterEveryExpectationIsStillJudged) {
  Ran r = run_one("late_exit", kFidelity / "late_exit_status.json");
  EXPECT_EQ(r.outcome.status, 1) << r.outcome.output;
  EXPECT_EQ(r.kase["verdict"], "fail") << r.kase.dump(2);
  EXPECT_EQ(r.kase["expectations"][0]["result"], "pass");
  ASSERT_EQ(r.report["command_failures"].size(), 1u) << r.report.dump(2);
  EXPECT_EQ(r.report["command_failures"][0]["actual"], 3);
  EXPECT_GE(r.kase["duration_ms"].get<double>(), 1000.0);  // it waited for the exit
}

TEST(Fidelity, AnExitStatusNeverSeenIsATimeoutError) {
  Ran r = run_one("exit_never", kFidelity / "exit_never_seen.json");
  EXPECT_EQ(r.outcome.status, 1) << r.outcome.output;
  EXPECT_EQ(r.kase["verdict"], "error") << r.kase.dump(2);
  EXPECT_EQ(r.kase["reason_code"], "timeout");
  EXPECT_NE(r.kase["reason"].get<std::string>().find("command \"app\" had not exited (expected exit_code 0"),
            std::string::npos)
      << r.kase["reason"];
}

TEST(Fidelity, AServerUnderTestThatExitsWronglyBeforeListeningFailsTheCase) {
  Ran r = run_one("server_crashes", kFidelity / "server_crashes_at_start.json");
  EXPECT_EQ(r.outcome.status, 1) << r.outcome.output;
  EXPECT_EQ(r.kase["verdict"], "fail") << r.kase.dump(2);
  ASSERT_EQ(r.report["command_failures"].size(), 1u) << r.report.dump(2);
  EXPECT_EQ(r.report["command_failures"][0]["actual"], 2);
  EXPECT_EQ(r.kase["expectations"][0]["result"], "undecided");
}

TEST(Fidelity, AServerUnderTestThatEndsRightlyBeforeListeningIsAnError) {
  Ran r = run_one("server_ends", kFidelity / "server_ends_at_start.json");
  EXPECT_EQ(r.outcome.status, 1) << r.outcome.output;
  EXPECT_EQ(r.kase["verdict"], "error") << r.kase.dump(2);
  EXPECT_EQ(r.kase["reason_code"], "peer_died");
  EXPECT_NE(r.kase["reason"].get<std::string>().find("command \"app\" exited with status 2 before it listened"),
            std::string::npos)
      << r.kase["reason"];
}

TEST(Fidelity, AWindowNoObservationCanFitIsRefusedByCheck) {
  Outcome o = run_sockdrill({"check", (kFidelity / "point_window.json").string()});
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("/expect/0/until_ms: a window of 0 ms cannot be observed"), std::string::npos)
      << o.output;
}

TEST(Fidelity, EventsWrittenLateStillCountAtTheirTime) {
  const std::string fake = (kHere / "fake_peer.py").string();
  Ran right = run_one("watermark", kFidelity / "watermark.json", {"--peer", fake});
  EXPECT_EQ(right.outcome.status, 0) << right.outcome.output;
  EXPECT_EQ(right.kase["verdict"], "pass") << right.kase.dump(2);
  Ran wrong = run_one("watermark_wrong", kFidelity / "watermark_wrong.json", {"--peer", fake});
  EXPECT_EQ(wrong.kase["verdict"], "fail") << wrong.kase.dump(2);
}

TEST(Fidelity, APeerThatNeverReportsPastAnObservationLeavesItUnjudged) {
  ::setenv("FAKE_PEER_SILENT", "1", 1);  // inherited by sockdrill and the fake peer it starts
  Ran r = run_one("silent_peer", kFidelity / "silent_peer.json", {"--peer", (kHere / "fake_peer.py").string()});
  ::unsetenv("FAKE_PEER_SILENT");
  EXPECT_EQ(r.kase["verdict"], "error") << r.kase.dump(2);
  EXPECT_EQ(r.kase["reason_code"], "timeout");
  EXPECT_NE(r.kase["reason"].get<std::string>().find("no answer to the runner's sync for): \"client\""),
            std::string::npos)
      << r.kase["reason"];
  EXPECT_EQ(r.kase["expectations"][0]["result"], "undecided");
}

TEST(Fidelity, RunningOutOfDescriptorsIsALimitErrorNotAFailure) {
  Json kase = Json::parse(R"({
    "about": "more connections than the process may hold descriptors",
    "peers": {
      "server": { "listen": { "backlog": 4096 }, "steps": [ { "hold": {} } ] },
      "client": { "connect": { "to": "server", "count": 3000 }, "steps": [ { "hold": {} } ] }
    },
    "expect": [ { "events": { "peer": "client", "kind": "connected" }, "count": 3000, "by_ms": 5000 } ]
  })");
  const fs::path file = write_case("fd_limit", kase);
  const fs::path dir = temp_dir("fd_limit");
  // A descriptor limit below the case's needs, for sockdrill and everything it starts.
  const std::string cmd = "prlimit --nofile=1000:1000 " + shell_quote(kSockdrill) + " run --peer " +
                          shell_quote(kPeer) + " --report " + shell_quote(dir.string()) + " " +
                          shell_quote(file.string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const Json summary = read_json(dir / "summary.json");
  EXPECT_EQ(summary["cases"][0]["verdict"], "error") << summary.dump(2);
  EXPECT_EQ(summary["cases"][0]["reason_code"], "limit");
  EXPECT_NE(summary["cases"][0]["reason"].get<std::string>().find("descriptors"), std::string::npos);
  fs::remove_all(dir);
  fs::remove_all(file.parent_path());
}

// ---- case files and the command line ----

TEST(CaseFiles, TheSameFileNameInTwoFoldersGetsTwoReports) {
  const fs::path root = temp_dir("same_names");
  for (const char* sub : {"a", "b"}) {
    fs::create_directories(root / sub);
    fs::copy_file(kHere / "right" / "start_order.json", root / sub / "same.json");
  }
  const fs::path dir = temp_dir("same_names_report");
  Outcome o = run_sockdrill({"run", "--report", dir.string(), (root / "a").string(), (root / "b").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  const Json summary = read_json(dir / "summary.json");
  ASSERT_EQ(summary["cases"].size(), 2u);
  EXPECT_NE(summary["cases"][0]["name"], summary["cases"][1]["name"]);
  for (const Json& c : summary["cases"]) EXPECT_TRUE(fs::exists(dir / c["report"].get<std::string>())) << c;
  fs::remove_all(root);
  fs::remove_all(dir);
}

// Named by the paths given, x in P and x in a become P/x and a/x, which P/a/x already is.
TEST(CaseFiles, NamesStayUniqueWhenAQualifiedNameMeetsAPlainOne) {
  const fs::path root = temp_dir("names_meet");
  for (const char* sub : {"P", "P/a", "a"}) {
    fs::create_directories(root / sub);
    fs::copy_file(kHere / "right" / "start_order.json", root / sub / "x.json");
  }
  Outcome o = run_sockdrill({"check", (root / "P").string(), (root / "a").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  const fs::path dir = temp_dir("names_meet_report");
  ::chdir(root.c_str());
  o = run_sockdrill({"run", "--report", dir.string(), "P", "a"});
  ::chdir("/");
  EXPECT_EQ(o.status, 0) << o.output;
  const Json summary = read_json(dir / "summary.json");
  ASSERT_EQ(summary["cases"].size(), 3u);
  std::set<std::string> names;
  for (const Json& c : summary["cases"]) names.insert(c["name"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"P/x", "P/a/x", "a/x"}));
  fs::remove_all(root);
  fs::remove_all(dir);
}

TEST(CaseFiles, WhatCannotBeReadIsAnErrorNamingIt) {
  const fs::path root = temp_dir("unreadable");
  fs::copy_file(kHere / "right" / "start_order.json", root / "good.json");
  fs::create_symlink("loop.json", root / "loop.json");
  ::mkfifo((root / "fifo.json").c_str(), 0600);
  Outcome o = run_sockdrill({"check", root.string(), "/dev/zero"});
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("loop.json: cannot read: Too many levels of symbolic links"), std::string::npos)
      << o.output;
  EXPECT_NE(o.output.find("fifo.json: a FIFO"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("/dev/zero: a character device"), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("valid"), std::string::npos) << o.output;
  fs::remove_all(root);
}

TEST(CaseFiles, ACaseFileIsAtMostOneMebibyte) {
  const fs::path root = temp_dir("too_big");
  std::string text = "{ \"about\": \"";
  text.append(1 << 20, 'x');
  text += "\" }";
  std::ofstream(root / "big.json") << text;
  Outcome o = run_sockdrill({"check", (root / "big.json").string()});
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("big.json: the file has 1048591 bytes; a case file has at most 1048576"),
            std::string::npos)
      << o.output;
  fs::remove_all(root);
}

TEST(CaseFiles, APathThatIsNotUtf8LosesNoReport) {
  const fs::path root = temp_dir("not_utf8");
  const fs::path folder = root / "caf\xe9";  // Latin-1, not UTF-8
  fs::create_directories(folder);
  fs::copy_file(kHere / "right" / "start_order.json", folder / "start_order.json");
  const fs::path dir = temp_dir("not_utf8_report");
  Outcome o = run_sockdrill({"run", "--report", dir.string(), "--junit", (dir / "junit.xml").string(),
                             (folder / "start_order.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  const Json summary = read_json(dir / "summary.json");
  EXPECT_EQ(summary["cases"][0]["verdict"], "pass");
  EXPECT_NE(summary["cases"][0]["file"].get<std::string>().find("caf\xEF\xBF\xBD"), std::string::npos);
  EXPECT_TRUE(fs::file_size(dir / "junit.xml") > 0);
  fs::remove_all(root);
  fs::remove_all(dir);
}

TEST(Terminal, AClosedStdoutLosesNothingElse) {
  const fs::path dir = temp_dir("closed_stdout");
  const std::string cmd = "SOCKDRILL_PEER=" + shell_quote(kPeer) + " " + shell_quote(kSockdrill) +
                          " run --report " + shell_quote(dir.string()) + " " +
                          shell_quote((kHere / "right" / "start_order.json").string()) + " >&- 2>/dev/null";
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(read_json(dir / "summary.json")["cases"][0]["verdict"], "pass");
  fs::remove_all(dir);
}

TEST(Terminal, AStdoutNobodyReadsDoesNotHoldUpTheRun) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_NONBLOCK), 0);
  char block[4096] = {};
  while (::write(fds[1], block, sizeof block) > 0) {
  }  // full: every further write would wait
  ::fcntl(fds[1], F_SETFL, 0);
  const fs::path dir = temp_dir("full_stdout");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::setenv("SOCKDRILL_PEER", kPeer.c_str(), 1);
    ::execl(kSockdrill.c_str(), kSockdrill.c_str(), "run", "--report", dir.c_str(),
            (kHere / "right" / "start_order.json").c_str(), nullptr);
    ::_exit(127);
  }
  ::close(fds[1]);
  ASSERT_TRUE(wait_for([&] { return ::waitpid(pid, nullptr, WNOHANG) == pid; }, 60000))
      << "sockdrill waited on its stdout";
  EXPECT_EQ(read_json(dir / "summary.json")["cases"][0]["verdict"], "pass");
  ::close(fds[0]);
  fs::remove_all(dir);
}

TEST(Cleanup, KillingTheControllerAsARunnerStartsLeavesNothing) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    const fs::path dir = temp_dir("kill_early");
    // A name of its own: the Ctrl-C test runs long_hold.json too, maybe at the same time.
    const fs::path file = dir / "kill_early_case.json";
    fs::copy_file(kHere / "cleanup" / "long_hold.json", file);
    pid_t pid = spawn_sockdrill({"run", file.string()}, dir / "log");
    // The runner is the controller's child; kill the controller as soon as it exists.
    ASSERT_TRUE(wait_for([&] { return !children_of(pid).empty(); }, 5000)) << slurp(dir / "log");
    ::kill(pid, SIGKILL);
    wait_status(pid);
    // Generous: on a loaded machine the kernel's PID-namespace teardown takes its time.
    EXPECT_TRUE(wait_for([] { return processes_matching("kill_early_case").empty(); }, 10000))
        << processes_matching("kill_early_case").size() << " left";
    fs::remove_all(dir);
  }
}

}  // namespace
