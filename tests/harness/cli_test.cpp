// End-to-end tests of the sockdrill command: verdicts, refusals, reports and cleanup.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nftables/libnftables.h>

#include "common/json.hpp"
#include "harness/observe/sock_diag.hpp"
#include "tests/harness/cli_support.hpp"

namespace {

using namespace sockdrill::cli_test;
using sockdrill::Json;

// ---- wrong expectations must come out `fail`, with a message that shows why ----

struct WrongCase {
  const char* file;
  std::vector<std::string> message_parts;
};

class WrongExpectation : public ::testing::TestWithParam<WrongCase> {};

TEST_P(WrongExpectation, IsReportedAsFailWithWhatWasSeen) {
  const WrongCase& c = GetParam();
  fs::path dir = temp_dir(fs::path(c.file).stem());
  Outcome o = run_sockdrill({"run", "--report", dir.string(), (kHere / "wrong" / c.file).string()});
  EXPECT_EQ(o.status, 1) << o.output;
  Json summary = read_json(dir / "summary.json");
  ASSERT_EQ(summary["cases"].size(), 1u);
  const Json& kase = summary["cases"][0];
  EXPECT_EQ(kase["verdict"], "fail") << kase.dump(2);
  ASSERT_EQ(kase["expectations"].size(), 1u);
  const Json& x = kase["expectations"][0];
  EXPECT_EQ(x["result"], "fail");
  std::string message = x["message"];
  for (auto& part : c.message_parts) EXPECT_NE(message.find(part), std::string::npos)
      << "message lacks \"" << part << "\": " << message;
  // The terminal shows the same message with the file and line of the expectation.
  EXPECT_NE(o.output.find(std::string(c.file) + ":"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("/expect/0"), std::string::npos) << o.output;
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Harness, WrongExpectation,
    ::testing::Values(
        WrongCase{"server_in_close_wait.json", {"\"server\"", "CLOSE_WAIT", "300 ms", "saw 0"}},
        WrongCase{"close_wait_goes_away.json", {"\"client\"", "CLOSE_WAIT", "saw 1"}},
        WrongCase{"reset_on_clean_close.json", {"\"client\"", "ECONNRESET", "saw 0"}},
        WrongCase{"bytes_miscounted.json", {"\"client\"", "received", "5 from"}},
        WrongCase{"proxy_never_close_closes.json", {"\"relay\"", "CLOSE_WAIT", "saw 1"}},
        WrongCase{"proxy_latency_ignored.json", {"\"client\"", "received", "saw 0"}},
        WrongCase{"proxy_bytes_miscounted.json", {"\"relay\"", "sent", "3000000 from"}},
        WrongCase{"unread_data_miscounted.json", {"\"server\"", "ESTABLISHED with recv_q {min 6}", "saw 0"}},
        WrongCase{"abort_counter_on_clean_close.json", {"counter TcpExtTCPAbortOnClose", "saw 0"}}),
    [](const auto& info) { return fs::path(info.param.file).stem().string(); });

// Wrong twins of the real-program cases (cases/real/): each contradicts the kernel or the
// program once, so each must come out `fail` (never `error`, never `pass`) naming what failed.
TEST(WrongExpectation, RealProgramTwinsAllFail) {
  fs::path dir = temp_dir("wrong_real");
  Outcome o = run_sockdrill({"run", "--report", dir.string(), (kHere / "wrong" / "real").string()});
  EXPECT_EQ(o.status, 1) << o.output;
  Json summary = read_json(dir / "summary.json");
  ASSERT_EQ(summary["cases"].size(), 12u) << o.output;
  for (const Json& kase : summary["cases"]) {
    EXPECT_EQ(kase["verdict"], "fail") << kase["name"] << "\n" << o.output;
    Json report = read_json(dir / "cases" / (kase["name"].get<std::string>() + ".json"));
    int failed = report.contains("command_failures") ? static_cast<int>(report["command_failures"].size()) : 0;
    for (const Json& x : kase["expectations"])
      if (x["result"] == "fail") {
        ++failed;
        EXPECT_NE(o.output.find(x["pointer"].get<std::string>() + ": expected"), std::string::npos)
            << kase["name"] << ": " << x.dump();
      }
    EXPECT_EQ(failed, 1) << kase["name"] << ": exactly the one wrong expectation fails\n" << kase.dump(2);
  }
  fs::remove_all(dir);
}

// ---- right expectations must pass ----

TEST(RightExpectation, BytesCountDataAsItMoves) {
  fs::path dir = temp_dir("bytes");
  Outcome o = run_sockdrill({"run", "--report", dir.string(),
                             (kHere / "right" / "bytes_as_they_move.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  Json report = read_json(dir / "cases" / "bytes_as_they_move.json");
  EXPECT_EQ(report["verdict"], "pass") << report["expectations"].dump(2);
  // Where the kernel has per-namespace TCP tables (tcp_child_ehash_entries), the case has its
  // own: each sample then walks only the case's sockets.
  if (fs::exists("/proc/sys/net/ipv4/tcp_child_ehash_entries")) {
    EXPECT_NE(report["isolation"].get<std::string>().find("private TCP table"), std::string::npos)
        << report["isolation"];
  }
  // Progress is summed per peer in the report, not listed as events.
  EXPECT_EQ(report["peers"][1]["bytes"]["received"], 3);
  for (auto& e : report["events"]) EXPECT_NE(e["kind"], "bytes_received");
  fs::remove_all(dir);
}

// A command peer: started with the server's endpoint, its socket found by inode, its output in
// the report, and nothing of it left after the run.
TEST(RightExpectation, CommandPeerSocketsAreItsOwn) {
  fs::path dir = temp_dir("command");
  Outcome o = run_sockdrill({"run", "--report", dir.string(),
                             (kHere / "right" / "command_client.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  Json report = read_json(dir / "cases" / "command_client.json");
  EXPECT_EQ(report["verdict"], "pass") << report["expectations"].dump(2) << report["samples"].dump();
  const Json& app = report["peers"][1];
  EXPECT_EQ(app["name"], "app");
  EXPECT_EQ(app["stdout"], "got it\n") << app.dump(2);
  EXPECT_FALSE(report.contains("command_failures"));
  // The server's side is the server's, not the command's, and the other way round.
  const Json& last = report["samples"].back()["sockets"];
  int server_connections = 0, app_sockets = 0;
  const Json server = last.value("server", Json::object()), app_last = last.value("app", Json::object());
  for (auto& [state, n] : server.items())
    if (state != "LISTEN") server_connections += n.get<int>();
  for (auto& [state, n] : app_last.items()) app_sockets += n.get<int>();
  EXPECT_EQ(server_connections, 1) << report["samples"].dump();
  EXPECT_EQ(app_sockets, 1) << report["samples"].dump();
  EXPECT_FALSE(last.contains("(unattributed)")) << report["samples"].dump();
  EXPECT_TRUE(wait_for([] { return processes_matching("sockdrill command_client").empty(); }, 2000));
  fs::remove_all(dir);
}

TEST(Usage, HelpListsEveryOptionAndExitsZero) {
  for (auto args : {std::vector<std::string>{"run", "--help"}, std::vector<std::string>{"--help"}}) {
    Outcome o = run_sockdrill(args);
    EXPECT_EQ(o.status, 0) << o.output;
    for (const char* option :
         {"--report DIR", "--junit FILE", "--trace FILE", "--peer PATH", "--define NAME=VALUE"})
      EXPECT_NE(o.output.find(option), std::string::npos) << option << " missing from:\n" << o.output;
  }
  Outcome bad = run_sockdrill({"run", "--no-such-option"});
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("unknown option --no-such-option"), std::string::npos) << bad.output;
}

// --define NAME=VALUE gives {NAME}; without it the file is refused before anything starts.
TEST(RightExpectation, DefinedNamesReachArgv) {
  const std::string file = (kHere / "right" / "defined_program.json").string();
  Outcome refused = run_sockdrill({"run", file});
  EXPECT_EQ(refused.status, 2) << refused.output;
  EXPECT_NE(refused.output.find("unknown placeholder \"{tool}\""), std::string::npos) << refused.output;
  Outcome bad = run_sockdrill({"run", "--define", "no.dots=1", file});
  EXPECT_EQ(bad.status, 2) << bad.output;
  Outcome o = run_sockdrill({"run", "--define", "tool=python3", file});
  EXPECT_EQ(o.status, 0) << o.output;
  Outcome checked = run_sockdrill({"check", "--define=tool=python3", file});
  EXPECT_EQ(checked.status, 0) << checked.output;
  Outcome checked_separately = run_sockdrill({"check", "--define", "tool=python3", file});
  EXPECT_EQ(checked_separately.status, 0) << checked_separately.output;
  // run and check read --define alike: a value is required, and its name is checked.
  for (const char* command : {"run", "check"}) {
    Outcome no_value = run_sockdrill({command, file, "--define"});
    EXPECT_EQ(no_value.status, 2) << no_value.output;
    EXPECT_NE(no_value.output.find(std::string("sockdrill ") + command + ": --define: 1 required NAME=VALUE missing"),
              std::string::npos) << no_value.output;
    Outcome bad_name = run_sockdrill({command, "--define=no.dots=1", file});
    EXPECT_EQ(bad_name.status, 2) << bad_name.output;
    EXPECT_NE(bad_name.output.find("--define: expected NAME=VALUE"), std::string::npos) << bad_name.output;
  }
}

// Connections shorter than a sample: counted from the kernel's destroy notices.
TEST(RightExpectation, CommandBytesOfConnectionsShorterThanASample) {
  Outcome o = run_sockdrill({"run", (kHere / "right" / "command_quick_connections.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
}

TEST(RightExpectation, PeersReferToEachOtherInAnyOrder) {
  fs::path dir = temp_dir("start_order");
  Outcome o = run_sockdrill({"run", "--report", dir.string(), (kHere / "right" / "start_order.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  Json report = read_json(dir / "cases" / "start_order.json");
  const std::string out = report["peers"][5]["stdout"];
  EXPECT_EQ(out.rfind("http://127.0.0.1:", 0), 0u) << out;  // {server.address} replaced inside {...}
  EXPECT_EQ(out.find('{'), std::string::npos) << out;
  fs::remove_all(dir);
}

TEST(RightExpectation, LateListenersCanBeNamedOnTheWire) {
  Outcome o = run_sockdrill({"run", (kHere / "right" / "late_proxy_on_the_wire.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
}

// A daemonised child of a command (own session, SIGTERM ignored) is ended with the case.
TEST(RightExpectation, NoProcessOfACommandOutlivesTheCase) {
  Outcome o = run_sockdrill({"run", (kHere / "right" / "command_daemon.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_TRUE(wait_for([] { return processes_matching("sockdrill command_daemon").empty(); }, 2000))
      << "left running: " << processes_matching("sockdrill command_daemon").size();
}

// A counter the kernel lacks is a mechanism missing: skip with the counter's name.
TEST(SkippedCase, ACounterThisKernelLacksIsNamed) {
  fs::path dir = temp_dir("counter_skip");
  Outcome o = run_sockdrill({"run", "--report", dir.string(),
                             (kHere / "skip" / "counter_this_kernel_lacks.json").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  const Json kase = read_json(dir / "summary.json")["cases"][0];
  EXPECT_EQ(kase["verdict"], "skip") << kase.dump(2);
  EXPECT_NE(kase.dump().find("TcpExtNoSuchCounterAnywhere"), std::string::npos) << kase.dump(2);
  fs::remove_all(dir);
}

TEST(WrongCommand, UnexpectedExitStatusFailsTheCaseShowingBoth) {
  fs::path dir = temp_dir("command_exit_code");
  Outcome o = run_sockdrill({"run", "--report", dir.string(),
                             (kHere / "wrong" / "command_exit_code.json").string()});
  EXPECT_EQ(o.status, 1) << o.output;
  Json summary = read_json(dir / "summary.json");
  const Json& kase = summary["cases"][0];
  EXPECT_EQ(kase["verdict"], "fail") << kase.dump(2);
  // Its expectation holds: the exit status alone fails the case.
  EXPECT_EQ(kase["expectations"][0]["result"], "pass") << kase.dump(2);
  Json report = read_json(dir / "cases" / "command_exit_code.json");
  ASSERT_EQ(report["command_failures"].size(), 1u) << report.dump(2);
  EXPECT_EQ(report["command_failures"][0]["expected"], 0);
  EXPECT_EQ(report["command_failures"][0]["actual"], 3);
  EXPECT_EQ(report["peers"][1]["exit_code"], 3);
  EXPECT_EQ(report["peers"][1]["stderr"], "oops\n");
  EXPECT_NE(o.output.find("exited with status 3, expected exit_code 0"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("command_exit_code.json: /peers/app/command/exit_code"), std::string::npos)
      << o.output;
  EXPECT_TRUE(wait_for([] { return processes_matching("sockdrill command_exit_code").empty(); }, 2000));
  fs::remove_all(dir);
}

// ---- reports that cannot be written are never silent ----

// /dev/full takes the open and fails the write (ENOSPC): the run must say so and exit non-zero.
TEST(Reports, AFailedWriteFailsTheRun) {
  Outcome o = run_sockdrill({"run", "--junit", "/dev/full",
                             (kHere / "right" / "bytes_as_they_move.json").string()});
  EXPECT_EQ(o.status, 1) << o.output;
  EXPECT_NE(o.output.find("PASS"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("cannot write /dev/full: No space left on device"), std::string::npos)
      << o.output;
}

// A destination that cannot be written is a usage error before any case starts.
TEST(Reports, AnUnwritableDestinationIsRefusedBeforeTheRun) {
  fs::path dir = temp_dir("unwritable");
  { std::ofstream(dir / "plain") << "a file, not a folder"; }
  const std::string kase = (kHere / "right" / "bytes_as_they_move.json").string();
  const std::string under_file = (dir / "plain" / "out").string();
  using Args = std::vector<std::string>;
  for (auto [args, why] : {std::pair{Args{"--report", under_file}, "Not a directory"},
                           std::pair{Args{"--junit=" + under_file}, "Not a directory"},
                           std::pair{Args{"--junit", dir.string()}, "a folder"}}) {
    args.insert(args.begin(), "run");
    args.push_back(kase);
    Outcome o = run_sockdrill(args);
    EXPECT_EQ(o.status, 2) << o.output;
    const std::string& path = args[1].rfind("--junit=", 0) == 0 ? under_file : args[2];
    EXPECT_NE(o.output.find(path + ": cannot write there: "), std::string::npos) << o.output;
    EXPECT_NE(o.output.find(why), std::string::npos) << o.output;
    EXPECT_EQ(o.output.find("PASS"), std::string::npos) << "a case ran: " << o.output;
  }
  fs::remove_all(dir);
}

// ---- malformed files are refused before anything starts ----

TEST(Refusal, CheckNamesFileAndPlace) {
  for (const char* file : {"unknown_key.json", "syntax.json", "bad_sysctl.json", "bad_reference.json"}) {
    fs::path path = kHere / "malformed" / file;
    Outcome o = run_sockdrill({"check", path.string()});
    EXPECT_EQ(o.status, 2) << file << "\n" << o.output;
    EXPECT_NE(o.output.find(path.string() + ":"), std::string::npos) << o.output;
  }
  Outcome unknown = run_sockdrill({"check", (kHere / "malformed" / "unknown_key.json").string()});
  EXPECT_NE(unknown.output.find("/peers/server/listen/backlgo"), std::string::npos) << unknown.output;
  Outcome syntax = run_sockdrill({"check", (kHere / "malformed" / "syntax.json").string()});
  EXPECT_NE(syntax.output.find("syntax.json:4:"), std::string::npos) << syntax.output;
}

TEST(Refusal, RunWithOneBadFileStartsNothing) {
  fs::path dir = temp_dir("refusal");
  Outcome o = run_sockdrill({"run", "--report", dir.string(),
                             (kHere / "wrong" / "bytes_miscounted.json").string(),
                             (kHere / "malformed" / "unknown_key.json").string()});
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_FALSE(fs::exists(dir / "summary.json"));
  EXPECT_EQ(o.output.find("FAIL"), std::string::npos) << "a case ran: " << o.output;
  fs::remove_all(dir);
}

TEST(Refusal, UsageErrorsExitTwo) {
  EXPECT_EQ(run_sockdrill({"run", "--bogus"}).status, 2);
  EXPECT_EQ(run_sockdrill({"frobnicate"}).status, 2);
  EXPECT_EQ(run_sockdrill({"check"}).status, 2);
  EXPECT_EQ(run_sockdrill({"run", "/nonexistent/case.json"}).status, 2);
}

// ---- nothing outlives a run ----

// The host's whole nftables ruleset, as text (read with libnftables, no `nft` binary needed).
std::string host_ruleset() {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  nft_run_cmd_from_buffer(ctx, "list ruleset");
  std::string out = nft_ctx_get_output_buffer(ctx);
  nft_ctx_free(ctx);
  return out;
}

std::string host_sysctl(const char* path) { return slurp(path); }

TEST(Cleanup, FaultCasesLeaveTheHostRulesetAndSysctlsAsTheyWere) {
  const std::string rules_before = host_ruleset();
  const std::string fin_before = host_sysctl("/proc/sys/net/ipv4/tcp_fin_timeout");
  const std::string syn_before = host_sysctl("/proc/sys/net/ipv4/tcp_syn_retries");
  fs::path dir = temp_dir("hostrules");
  fs::path file = kHere / "right" / "fault_and_sysctl.json";
  pid_t pid = spawn_sockdrill({"run", "--report", dir.string(), file.string()}, dir / "log");
  // While the case runs (its rules and sysctls in force), the host shows none of them.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(host_ruleset(), rules_before);
    EXPECT_EQ(host_sysctl("/proc/sys/net/ipv4/tcp_syn_retries"), syn_before);
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(wait_status(pid), 0) << slurp(dir / "log");
  Json report = read_json(dir / "cases" / "fault_and_sysctl.json");
  EXPECT_EQ(report["verdict"], "pass") << report["expectations"].dump(2);
  EXPECT_NE(report["nftables"].get<std::string>().find("drop"), std::string::npos);
  EXPECT_EQ(report["sysctl"]["net.ipv4.tcp_syn_retries"], "1");
  EXPECT_EQ(host_ruleset(), rules_before);
  EXPECT_EQ(host_sysctl("/proc/sys/net/ipv4/tcp_fin_timeout"), fin_before);
  EXPECT_EQ(host_sysctl("/proc/sys/net/ipv4/tcp_syn_retries"), syn_before);
  fs::remove_all(dir);
}

// What a fresh network namespace sharing the host's TCP table shows for a sysctl.
std::string fresh_namespace_sysctl(const std::string& key) {
  std::string path = "/proc/sys/";
  for (char c : key) path += c == '.' ? '/' : c;
  FILE* pipe = ::popen(("unshare -rn cat " + path + " 2>&1").c_str(), "r");
  std::string out;
  char buf[256];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// A case's private TCP table (32,768 buckets) would bring tcp_max_tw_buckets 16,384 and
// tcp_max_syn_backlog 256, which a namespace sharing the host's table does not have.
TEST(Isolation, APrivateTcpTableKeepsTheDefaultsDerivedFromTheSharedOne) {
  fs::path dir = temp_dir("tablesized");
  fs::path file = kHere / "right" / "fault_and_sysctl.json";
  ASSERT_EQ(run_sockdrill({"run", "--report", dir.string(), file.string()}).status, 0);
  Json report = read_json(dir / "cases" / "fault_and_sysctl.json");
  if (report["isolation"].get<std::string>().find("private TCP table") == std::string::npos)
    GTEST_SKIP() << "no private TCP table on this kernel: " << report["isolation"];
  for (const char* key : {"net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_max_syn_backlog"})
    EXPECT_EQ(report["sysctl"][key], fresh_namespace_sysctl(key)) << key;
  fs::remove_all(dir);
}

TEST(Cleanup, CasePastItsTimeLimitIsErrorAndLeavesNothing) {
  fs::path dir = temp_dir("timelimit");
  fs::path file = kHere / "cleanup" / "past_time_limit.json";
  pid_t pid = spawn_sockdrill({"run", "--report", dir.string(), file.string()}, dir / "log");
  // While it runs, the host's own socket table never shows the case's port.
  sockdrill::SockDiag host;
  std::vector<sockdrill::SocketRecord> records;
  int seen_on_host = 0;
  for (int i = 0; i < 40; ++i) {
    host.dump(sockdrill::SockDiag::kAllStates, records);
    for (auto& r : records) seen_on_host += (r.sport == 47931 || r.dport == 47931);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  int status = wait_status(pid);
  EXPECT_EQ(status, 1) << slurp(dir / "log");
  EXPECT_EQ(seen_on_host, 0);
  Json summary = read_json(dir / "summary.json");
  EXPECT_EQ(summary["cases"][0]["verdict"], "error");
  EXPECT_NE(summary["cases"][0]["reason"].get<std::string>().find("time limit"), std::string::npos);
  EXPECT_TRUE(wait_for([&] { return processes_matching("past_time_limit").empty(); }, 2000));
  fs::remove_all(dir);
}

TEST(Cleanup, CtrlCEndsTheRunAndLeavesNothing) {
  fs::path dir = temp_dir("sigint");
  fs::path file = kHere / "cleanup" / "long_hold.json";
  pid_t pid = spawn_sockdrill({"run", "--report", dir.string(), file.string()}, dir / "log");
  ASSERT_TRUE(wait_for([] { return processes_matching("--case long_hold --peer").size() >= 2; }, 5000))
      << slurp(dir / "log");
  ::kill(pid, SIGINT);
  int status = wait_status(pid);
  EXPECT_EQ(status, 130) << slurp(dir / "log");
  EXPECT_TRUE(wait_for([] { return processes_matching("long_hold").empty(); }, 2000));
  Json summary = read_json(dir / "summary.json");
  const Json& kase = summary["cases"][0];
  EXPECT_EQ(kase["verdict"], "error");
  EXPECT_EQ(kase["reason_code"], "interrupted");
  EXPECT_EQ(kase["reason"].get<std::string>().rfind("interrupted by SIGINT: ", 0), 0u) << kase["reason"];
  // The runner ended the case itself: its record keeps what it saw, the seed and why the
  // expectation was not decided.
  EXPECT_TRUE(kase["seed"].is_number()) << kase.dump(2);
  ASSERT_EQ(kase["expectations"].size(), 1u) << kase.dump(2);
  EXPECT_EQ(kase["expectations"][0]["result"], "undecided");
  // How many reads happened depends on when the interrupt came (it may come before the
  // first); that the count is in the record is what is asked.
  EXPECT_TRUE(read_json(dir / "cases" / "long_hold.json")["observations"].is_number());
  fs::remove_all(dir);
}

TEST(Cleanup, CrashedPeerMakesTheCaseAnErrorAndLeavesNothing) {
  fs::path dir = temp_dir("crash");
  fs::path file = kHere / "cleanup" / "crash_hold.json";
  // The peer gets SIGSEGV from kill(): AddressSanitizer (SOCKDRILL_SANITIZE) must not report it
  // as a fault of the peer's own, but let the signal kill it, as without ASan.
  const char* asan = std::getenv("ASAN_OPTIONS");
  ::setenv("ASAN_OPTIONS", (std::string(asan ? asan : "") + ":handle_segv=0").c_str(), 1);
  pid_t pid = spawn_sockdrill({"run", "--report", dir.string(), file.string()}, dir / "log");
  ASSERT_TRUE(wait_for([] { return processes_matching("--case crash_hold --peer client").size() == 1; }, 5000));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (pid_t p : processes_matching("--case crash_hold --peer client")) ::kill(p, SIGSEGV);
  int status = wait_status(pid);
  EXPECT_EQ(status, 1) << slurp(dir / "log");
  Json summary = read_json(dir / "summary.json");
  EXPECT_EQ(summary["cases"][0]["verdict"], "error");
  EXPECT_NE(summary["cases"][0]["reason"].get<std::string>().find("exited unexpectedly"),
            std::string::npos)
      << summary.dump(2);
  EXPECT_TRUE(wait_for([] { return processes_matching("crash_hold").empty(); }, 2000));
  fs::remove_all(dir);
}

}  // namespace
