// `sockdrill guard` end to end: small programs that leak, leave a server, close in time or only
// make TIME_WAIT; what guard finds (pid, fd, count), what it says and its exit status.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/json.hpp"

namespace sockdrill {
namespace {

namespace fs = std::filesystem;

const std::string kSockdrill = SOCKDRILL_BIN;
const fs::path kPrograms = SOCKDRILL_GUARD_PROGRAMS;
// Debian's interpreter, not a shim found in PATH (pyenv's takes 0.5-2 s to start under load).
const std::string kPython = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct GuardRun {
  int status = -1;
  std::string output;  // the program's stdout and guard's stderr
  Json report;
};

fs::path temp_file(const std::string& tag) {
  return fs::temp_directory_path() /
         ("sockdrill-guard-" + tag + "-" + std::to_string(::getpid()) + ".json");
}

// `prefix` runs before sockdrill (setpriv for another user); `program` is in kPrograms.
GuardRun guard(const std::vector<std::string>& options, const std::vector<std::string>& command,
          const std::string& prefix = "", const std::string& sockdrill = kSockdrill,
          const char* separator = " --") {
  const fs::path report = temp_file("report");
  fs::remove(report);
  std::string cmd = prefix + quote(sockdrill) + " guard --report " + quote(report.string());
  for (const std::string& o : options) cmd += " " + quote(o);
  cmd += separator;
  for (const std::string& a : command) cmd += " " + quote(a);
  cmd += " 2>&1";
  GuardRun run;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) run.output.append(buf, n);
  const int st = ::pclose(p);
  run.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  std::ifstream in(report);
  if (in) run.report = Json::parse(in, nullptr, false);
  fs::remove(report);
  return run;
}

std::string python(const char* program) { return (kPrograms / program).string(); }

// "KEY=VALUE" from the program's own line that starts with `tag`.
int value_after(const std::string& output, const std::string& tag, const std::string& key) {
  std::smatch m;
  const std::regex re(tag + " .*" + key + "=([0-9]+)");
  if (!std::regex_search(output, m, re)) return -1;
  return std::stoi(m[1]);
}

TEST(Guard, ACloseWaitPastTheSettleTimeIsALeakOfTheProcessThatHoldsIt) {
  const GuardRun run = guard({}, {kPython, python("leak_close_wait.py"), "2.5"});
  EXPECT_EQ(run.status, 1) << run.output;
  const int pid = value_after(run.output, "LEAK", "pid"), fd = value_after(run.output, "LEAK", "fd");
  ASSERT_GT(pid, 0) << run.output;
  ASSERT_EQ(run.report["leaks"].size(), 1u) << run.report.dump(2);
  const Json& leak = run.report["leaks"][0];
  EXPECT_EQ(leak["kind"], "close_wait");
  EXPECT_EQ(leak["state"], "CLOSE_WAIT");
  EXPECT_EQ(leak["pid"], pid);
  EXPECT_EQ(leak["fd"], fd);
  EXPECT_EQ(leak["recv_q"], 0);
  EXPECT_GE(leak["held_ms"].get<double>(), 1000);
  EXPECT_NE(leak["cmdline"].get<std::string>().find("leak_close_wait.py"), std::string::npos);
  EXPECT_NE(run.output.find("sockdrill guard: CLOSE_WAIT leak: pid " + std::to_string(pid)),
            std::string::npos) << run.output;
  EXPECT_NE(run.output.find("the program did not call close() for "), std::string::npos) << run.output;
  EXPECT_EQ(run.report["exit_code"], 0);
}

TEST(Guard, UnreadBytesAreSaidWithTheLeak) {
  const GuardRun run = guard({}, {kPython, python("leak_close_wait.py"), "2", "unread"});
  ASSERT_EQ(run.report["leaks"].size(), 1u) << run.output;
  EXPECT_EQ(run.report["leaks"][0]["recv_q"], 16);
  EXPECT_NE(run.output.find("16 bytes are unread, so closing it now sends a reset"), std::string::npos)
      << run.output;
}

TEST(Guard, ACloseWaitClosedWithinTheSettleTimeIsNoLeak) {
  const GuardRun run = guard({}, {kPython, python("closes_within_settle.py")});
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["leaks"].size(), 0u) << run.report.dump(2);
  EXPECT_NE(run.output.find("sockdrill guard: no leaked sockets"), std::string::npos) << run.output;
}

// The sampling's promise: a CLOSE_WAIT longer than the settle time plus two intervals is always
// caught; one shorter than the settle time never is.
TEST(Guard, ACloseWaitJustPastTheSettleTimeIsCaughtAndOneJustShortIsNot) {
  GuardRun run = guard({"--settle-ms", "500", "--interval-ms", "50"},
                       {kPython, python("leak_close_wait.py"), "0.75"});
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_EQ(run.report["leaks"].size(), 1u) << run.report.dump(2);
  run = guard({"--settle-ms", "500", "--interval-ms", "50"},
              {kPython, python("leak_close_wait.py"), "0.35"});
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["leaks"].size(), 0u) << run.report.dump(2);
}

TEST(Guard, ALongerSettleTimeForgivesTheSameLeak) {
  const GuardRun run = guard({"--settle-ms", "4000"}, {kPython, python("leak_close_wait.py"), "2"});
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["leaks"].size(), 0u) << run.report.dump(2);
}

TEST(Guard, TimeWaitIsNoLeak) {
  const GuardRun run = guard({}, {kPython, python("time_wait_only.py")});
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["leaks"].size(), 0u) << run.report.dump(2);
}

TEST(Guard, AServerThatOutlivesTheCommandIsLeftBehindAndEnded) {
  const GuardRun run = guard({}, {kPython, python("server_left_running.py")});
  EXPECT_EQ(run.status, 1) << run.output;
  const int pid = value_after(run.output, "SERVER", "pid"), port = value_after(run.output, "SERVER", "port");
  ASSERT_GT(pid, 0) << run.output;
  ASSERT_EQ(run.report["leaks"].size(), 1u) << run.report.dump(2);
  const Json& leak = run.report["leaks"][0];
  EXPECT_EQ(leak["kind"], "left_behind");
  EXPECT_EQ(leak["state"], "LISTEN");
  EXPECT_EQ(leak["pid"], pid);
  EXPECT_EQ(leak["local"], "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(run.report["ended"], Json::array({pid}));
  EXPECT_NE(::kill(pid, 0), 0) << "guard did not end the server it reported";
}

TEST(Guard, KeepLeavesTheServerRunning) {
  const GuardRun run = guard({"--keep"}, {kPython, python("server_left_running.py")});
  const int pid = value_after(run.output, "SERVER", "pid");
  ASSERT_GT(pid, 0) << run.output;
  EXPECT_EQ(run.report["kept"], Json::array({pid})) << run.report.dump(2);
  EXPECT_EQ(::kill(pid, 0), 0) << "--keep: the server should still run";
  ::kill(pid, SIGKILL);
}

TEST(Guard, AllowAndIgnorePortNarrowWhatCounts) {
  GuardRun run = guard({"--allow", "LISTEN"}, {kPython, python("server_left_running.py")});
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["leaks"].size(), 0u);
  run = guard({"--allow", "CLOSE_WAIT"}, {kPython, python("leak_close_wait.py"), "1.5"});
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["leaks"].size(), 0u);
  // The leaked client's remote port is the listener's.
  run = guard({"--ignore-port", "47391"}, {kPython, python("leak_close_wait.py"), "1.5", "read", "47391"});
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["leaks"].size(), 0u) << run.report.dump(2);
  run = guard({"--ignore-port", "47392"}, {kPython, python("leak_close_wait.py"), "1.5", "read", "47391"});
  EXPECT_EQ(run.report["leaks"].size(), 1u) << "another port ignores nothing: " << run.output;
}

TEST(Guard, TheCommandsFailureIsItsStatusAndLeaksStillSaid) {
  const GuardRun run = guard({}, {"sh", "-c", kPython + " " + python("leak_close_wait.py") + " 1.5; exit 3"});
  EXPECT_EQ(run.status, 3) << run.output;
  EXPECT_EQ(run.report["exit_code"], 3);
  EXPECT_EQ(run.report["leaks"].size(), 1u) << run.report.dump(2);
}

TEST(Guard, ExitCodeOptionIsTheStatusOfALeak) {
  const GuardRun run = guard({"--exit-code", "42"}, {kPython, python("leak_close_wait.py"), "1.5"});
  EXPECT_EQ(run.status, 42) << run.output;
}

TEST(Guard, ACommandThatCannotStartIs127AndSaysWhy) {
  const GuardRun run = guard({}, {"no-such-program-sockdrill"});
  EXPECT_EQ(run.status, 127) << run.output;
  EXPECT_NE(run.output.find("cannot run no-such-program-sockdrill: No such file or directory"),
            std::string::npos) << run.output;
}

TEST(Guard, OptionsOfTheCommandAfterTheSeparatorAreItsOwn) {
  const GuardRun run = guard({}, {"sh", "-c", "exit 0", "--allow"});
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["command"], Json({"sh", "-c", "exit 0", "--allow"}));
}

TEST(Guard, WithoutTheSeparatorEverythingFromTheCommandOnIsItsOwn) {
  const GuardRun run = guard({"--settle-ms", "300"}, {"sh", "-c", "exit 0", "x", "--settle-ms", "5"},
                             "", kSockdrill, "");
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["command"], Json({"sh", "-c", "exit 0", "x", "--settle-ms", "5"}));
  EXPECT_EQ(run.report["settle_ms"], 300.0);
}

TEST(Guard, IsolatedTheLeakIsFoundInTheCommandsOwnNamespace) {
  const GuardRun run = guard({"--isolate"}, {kPython, python("leak_close_wait.py"), "1.5"});
  EXPECT_EQ(run.status, 1) << run.output;
  ASSERT_EQ(run.report["leaks"].size(), 1u) << run.output;
  EXPECT_EQ(run.report["leaks"][0]["pid"], value_after(run.output, "LEAK", "pid"));
  EXPECT_NE(run.report["isolation"].get<std::string>().find("network namespace"), std::string::npos)
      << run.report.dump(2);
}

// As root, the same verdicts as user nobody (with --isolate too): guard needs no privilege.
TEST(Guard, AnUnprivilegedUserGetsTheSameVerdicts) {
  if (::geteuid() != 0) GTEST_SKIP() << "not root: this run is the unprivileged one";
  if (std::system("command -v setpriv >/dev/null") != 0) GTEST_SKIP() << "no setpriv";
  // nobody must be able to run sockdrill and read the programs: copies in a folder of its own.
  const fs::path dir = fs::temp_directory_path() / ("sockdrill-guard-nobody-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(kSockdrill, dir / "sockdrill");
  for (const char* p : {"leak_close_wait.py", "server_left_running.py", "time_wait_only.py"})
    fs::copy_file(kPrograms / p, dir / p);
  fs::permissions(dir, fs::perms::all);
  const std::string as_nobody = "cd / && setpriv --reuid=65534 --regid=65534 --clear-groups ";
  const std::string bin = (dir / "sockdrill").string();
  for (bool isolate : {false, true}) {
    std::vector<std::string> options;
    if (isolate) options.push_back("--isolate");
    GuardRun run = guard(options, {kPython, (dir / "leak_close_wait.py").string(), "1.5"}, as_nobody, bin);
    EXPECT_EQ(run.status, 1) << run.output;
    EXPECT_NE(run.output.find("CLOSE_WAIT leak: pid " +
                              std::to_string(value_after(run.output, "LEAK", "pid"))),
              std::string::npos) << run.output;
    run = guard(options, {kPython, (dir / "server_left_running.py").string()}, as_nobody, bin);
    EXPECT_EQ(run.status, 1) << run.output;
    EXPECT_NE(run.output.find("left behind: pid " +
                              std::to_string(value_after(run.output, "SERVER", "pid"))),
              std::string::npos) << run.output;
    run = guard(options, {kPython, (dir / "time_wait_only.py").string()}, as_nobody, bin);
    EXPECT_EQ(run.status, 0) << run.output;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sockdrill
