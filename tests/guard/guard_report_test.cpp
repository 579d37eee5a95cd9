// What guard says: the summary line, the JSON report's keys, the JUnit testcases, the exit status.
#include <gtest/gtest.h>

#include <sstream>

#include "harness/guard/guard_report.hpp"

namespace sockdrill::guard {
namespace {

SocketLeak leak(LeakKind kind, pid_t pid, int fd) {
  SocketLeak l;
  l.kind = kind;
  l.pid = pid;
  l.fd = fd;
  l.cmdline = "python3 app.py";
  l.state = kind == LeakKind::close_wait ? TcpState::CLOSE_WAIT : TcpState::LISTEN;
  l.local = "127.0.0.1:8080";
  l.remote = kind == LeakKind::close_wait ? "127.0.0.1:40000" : "";
  l.since_ms = 210;
  l.held_ms = 1530;
  if (kind == LeakKind::left_behind) l.command_exit_ms = 2000;
  return l;
}

GuardResult result_with(std::vector<SocketLeak> leaks, int exit_code = 0) {
  GuardResult r;
  r.command = {"pytest", "-x"};
  r.exit_code = exit_code;
  r.leaks = std::move(leaks);
  r.processes = {{100, "pytest -x", true, false}, {101, "python3 app.py", true, true},
                 {102, "sh -c true", false, false}};
  r.samples = 40;
  r.interval_ms = 50;
  r.settle_ms = 1000;
  return r;
}

TEST(GuardReport, TheTextSaysEachLeakThenSumsUp) {
  const std::string text =
      guard_text(result_with({leak(LeakKind::close_wait, 101, 5), leak(LeakKind::left_behind, 101, 3)}));
  EXPECT_NE(text.find("sockdrill guard: CLOSE_WAIT leak: pid 101 (python3 app.py), fd 5\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("the peer closed at 0.21 s; the program did not call close() for 1.53 s"),
            std::string::npos) << text;
  EXPECT_NE(text.find("sockdrill guard: left behind: pid 101"), std::string::npos) << text;
  EXPECT_NE(text.find("2 leaked socket(s): 1 in CLOSE_WAIT, 1 left behind in `pytest -x` (exit "
                      "status 0; 40 samples, one every 50 ms)"),
            std::string::npos) << text;
  EXPECT_NE(guard_text(result_with({})).find("sockdrill guard: no leaked sockets in `pytest -x`"),
            std::string::npos);
}

TEST(GuardReport, LateSamplesAreSaidWithWhatTheyCostTheCheck) {
  GuardResult r = result_with({});
  r.largest_gap_ms = 100;  // twice the interval: on time enough
  EXPECT_EQ(guard_text(r).find("warning"), std::string::npos) << guard_text(r);
  r.largest_gap_ms = 400;
  EXPECT_NE(guard_text(r).find("sockdrill guard: warning: samples came late (the longest gap was 400 "
                               "ms, not 50): a CLOSE_WAIT shorter than 1800 ms may have gone unseen"),
            std::string::npos) << guard_text(r);
}

TEST(GuardReport, TheCommandIsQuotedAsAShellTakesItBack) {
  GuardResult r = result_with({});
  r.command = {"sh", "-c", "echo \"a b\"", "it's"};
  EXPECT_NE(guard_text(r).find("in `sh -c 'echo \"a b\"' 'it'\\''s'`"), std::string::npos) << guard_text(r);
}

TEST(GuardReport, TheJsonHasTheKeysTheReadmeNames) {
  const Json j = guard_json(result_with({leak(LeakKind::close_wait, 101, 5)}, 0));
  EXPECT_EQ(j["command"], Json({"pytest", "-x"}));
  EXPECT_EQ(j["exit_code"], 0);
  ASSERT_EQ(j["leaks"].size(), 1u);
  const Json& l = j["leaks"][0];
  for (const char* key : {"kind", "pid", "cmdline", "fd", "state", "local", "remote", "recv_q",
                          "send_q", "since_ms", "held_ms"})
    EXPECT_TRUE(l.contains(key)) << key;
  EXPECT_EQ(l["kind"], "close_wait");
  EXPECT_EQ(l["state"], "CLOSE_WAIT");
  EXPECT_EQ(l["pid"], 101);
  EXPECT_EQ(l["fd"], 5);
}

TEST(GuardReport, JunitHasTheExitStatusAndATestcasePerProcessThatHeldTcpSockets) {
  std::ostringstream out;
  write_guard_junit(out, result_with({leak(LeakKind::close_wait, 101, 5)}));
  const std::string xml = out.str();
  EXPECT_NE(xml.find("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"0\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"exit status of pytest -x\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"pid 100: pytest -x\" time=\"0.000\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"pid 101: python3 app.py\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"1 leaked socket(s)\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find("sh -c true"), std::string::npos) << "a process without sockets is no testcase";
  std::ostringstream failed;
  write_guard_junit(failed, result_with({}, 3));
  EXPECT_NE(failed.str().find("<failure message=\"the command exited with status 3\" type=\"exit_status\">"),
            std::string::npos) << failed.str();
}

TEST(GuardReport, ExitStatusIsTheCommandsWhenItFailedElseWhetherSomethingLeaked) {
  GuardOptions options;
  EXPECT_EQ(guard_exit_code(result_with({}), options), 0);
  EXPECT_EQ(guard_exit_code(result_with({leak(LeakKind::close_wait, 1, 3)}), options), 1);
  options.leak_exit_code = 23;
  EXPECT_EQ(guard_exit_code(result_with({leak(LeakKind::close_wait, 1, 3)}), options), 23);
  EXPECT_EQ(guard_exit_code(result_with({leak(LeakKind::close_wait, 1, 3)}, 4), options), 4);
  GuardResult broken = result_with({});
  broken.error = "netlink: Operation not permitted";
  EXPECT_EQ(guard_exit_code(broken, options), 125);
  broken.exit_code = 127;
  EXPECT_EQ(guard_exit_code(broken, options), 127);
}

}  // namespace
}  // namespace sockdrill::guard
