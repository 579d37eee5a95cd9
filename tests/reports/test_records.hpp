// Records for the reports tests: one case of each verdict, every field filled.
#pragma once
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "reports/record.hpp"
#include "reports/record_json.hpp"

namespace sockdrill::reports {
// GoogleTest shows records as their JSON.
inline void PrintTo(const CaseRecord& c, std::ostream* os) {
  *os << to_json(c).dump(2);
}
inline void PrintTo(const RunRecord& r, std::ostream* os) {
  *os << to_json(r).dump(2);
}
}  // namespace sockdrill::reports

namespace sockdrill::reports::test {

inline const std::filesystem::path kFixtures = SOCKDRILL_REPORTS_FIXTURES;
inline const std::filesystem::path kExpected = kFixtures.parent_path() / "expected";
inline const std::filesystem::path kApproved = kFixtures.parent_path() / "expected";

inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A case named NAME from cases/NAME.json, with only its outcome and time.
inline CaseRecord a_case(const std::string& name, Outcome outcome, double duration_ms) {
  CaseRecord c;
  c.name = name;
  c.file = "cases/" + name + ".json";
  c.outcome = std::move(outcome);
  c.duration_ms = duration_ms;
  return c;
}

inline CaseRecord passed_case() {
  CaseRecord c = a_case("close_wait/forgotten", {Verdict::pass, "", ""}, 1234);
  c.seed = 42;
  c.kernel = "Linux 6.1.0 x86_64";
  c.sysctl = {{"net.ipv4.tcp_fin_timeout", "2"}};
  c.isolation = "network namespace";
  c.sample_ms = 10;
  c.observations = 120;
  c.late_events = 1;
  c.dump_repeats_dropped = 3;
  c.dump_skips_found = 2;
  PeerRecord server;
  server.name = "server";
  server.started = true;
  server.pid = 2;
  server.listening = "127.0.0.1:40000";
  server.exit_code = 0;
  server.bytes_sent = 4;
  PeerRecord app = server;  // a command that connects to it
  app.name = "app";
  app.pid = 3;
  app.listening.reset();
  app.bytes_sent = 0;
  app.command = true;
  app.argv = {"python3", "-c", "print('hi')"};
  app.expected_exit_code = 0;
  app.stdout_tail = "hi\n";
  app.stderr_tail = "warn\n";
  app.stdout_truncated = true;
  app.bytes_received = 4;
  c.peers = {server, app};
  EventRecord accepted{
      12.5,         "server",          "accepted",         0, 1, std::nullopt, std::nullopt,
      std::nullopt, "127.0.0.1:40000", "127.77.0.2:51000", ""};
  EventRecord failed{30.25, "app", "error", 0, 2, "ECONNRESET", std::nullopt, 0, "", "", "recv"};
  EventRecord exited{40, "app", "exit", std::nullopt, std::nullopt, std::nullopt, 0, std::nullopt,
                     "", "",    ""};
  c.events = {accepted, failed, exited};
  ExpectationRecord x;
  x.index = 0;
  x.expect = Json::parse(R"({"sockets": {"peer": "server", "state": "CLOSE_WAIT"}, "count": 1,
                             "by_ms": 1000})");
  x.where = c.file + ":12:5";
  x.pointer = "/expect/0";
  x.title = "server CLOSE_WAIT count 1 by 1000 ms";
  x.result = ExpectationRecord::Result::pass;
  x.decided_at_ms = 105.5;
  x.window_from_ms = 0;
  x.window_to_ms = 1000;
  x.message = "held at 105.5 ms";
  x.observed.values = {{0.0, 0}, {105.5, 1}};
  x.observed.values_omitted = 3;
  x.observed.last_sample = LastSample{105.5, "server", {{"CLOSE_WAIT", 1}, {"LISTEN", 1}}};
  EventRecord seen = accepted;
  seen.peer.clear();
  x.observed.events = std::vector<EventRecord>{seen};
  x.observed.events_omitted = 2;
  x.window_from_ms = 0;
  x.window_to_ms = 1000;
  x.label = "sockets of peer \"server\" in CLOSE_WAIT: count 1 by 1000 ms";
  c.expectations = {x};
  c.timeline = {{100, "cue", "go", Json::parse(R"({"at_ms": 100, "cue": "go"})")},
                {200, "kill", "server KILL", Json::parse(R"({"at_ms": 200, "kill": "server"})")},
                {250, "start", "late starts", nullptr}};
  c.nftables = "table inet sockdrill {\n}\n";
  c.samples = {
      {0, {{"server", {{"LISTEN", 1}}}}},
      {105.5,
       {{"server", {{"LISTEN", 1}, {"CLOSE_WAIT", 1}}}, {"(unattributed)", {{"SYN_SENT", 2}}}}}};
  c.sockets = {{0x1001, "server", "127.0.0.1:40000", "0.0.0.0:0", {{0, "LISTEN"}}, std::nullopt},
               {0x1002,
                "server",
                "127.0.0.1:40000",
                "127.77.0.2:51000",
                {{12.5, "ESTABLISHED"}, {105.5, "CLOSE_WAIT"}},
                std::nullopt},
               {0x1003,
                "app",
                "127.77.0.2:51000",
                "127.0.0.1:40000",
                {{12.5, "ESTABLISHED"}, {30.25, "FIN_WAIT2"}},
                60.0}};
  c.warnings = {"the kernel dropped some socket destroy notices"};
  c.runner_stderr = "runner said something\n";
  return c;
}

// A failing case: a command's exit status (and its stderr: more lines than are shown, one of
// them with bytes no terminal or XML file should get), one failed and one undecided expectation.
inline CaseRecord failed_case() {
  CaseRecord c = a_case("app_exit", {Verdict::fail, "", ""}, 170);
  PeerRecord app;
  app.name = "app";
  app.started = true;
  app.pid = 3;
  app.exit_code = 3;
  app.command = true;
  app.argv = {"app", "--serve"};
  app.expected_exit_code = 0;
  for (int i = 1; i <= 12; ++i) app.stderr_tail += "app: line " + std::to_string(i) + "\n";
  app.stderr_tail += "app: fatal: \x1b[31mbind\x1b[0m ]]> failed\r\n";
  c.peers = {app};
  c.events = {{50.0, "app", "exit", std::nullopt, std::nullopt, std::nullopt, 3, std::nullopt, "",
               "", ""}};
  c.events_omitted = 2;  // as if two resets had been cut from the list
  c.event_counts = {{"app", "exit", std::nullopt, 3, 1, 50.0, 50.0},
                    {"client", "error", "ECONNRESET", std::nullopt, 2, 101.5, 120.0}};
  c.command_failures = {
      {"app", 0, 3, "command \"app\" exited with status 3, expected exit_code 0", 50.0}};
  ExpectationRecord failed;
  failed.index = 0;
  failed.where = "cases/app_exit.json:9:5";
  failed.pointer = "/expect/0";
  failed.title = "client ESTABLISHED count 1 by 100 ms";
  failed.result = ExpectationRecord::Result::fail;
  failed.decided_at_ms = 101.5;
  failed.message = "expected 1, saw 0";
  failed.observed.values = {{0.0, 0}};
  failed.observed.last_sample = LastSample{101.5, "client", {}};
  ExpectationRecord undecided = failed;
  undecided.index = 1;
  undecided.where = "cases/app_exit.json:10:5";
  undecided.pointer = "/expect/1";
  undecided.title = "client error ECONNRESET count >= 1 100..150 ms";
  undecided.result = ExpectationRecord::Result::undecided;
  undecided.decided_at_ms.reset();
  undecided.observed = {};
  undecided.message = "no observation fell in its window";
  c.expectations = {failed, undecided};
  c.pcap = "captures/app_exit.pcap";
  return c;
}

inline CaseRecord errored_case() {
  CaseRecord c = a_case(
      "slow", {Verdict::error, "timeout", "the case reached its time limit (timeout_ms 800)"}, 804);
  c.runner_stderr = "sockdrill-peer: stuck\n";
  return c;
}

// expect[0], left undecided.
inline ExpectationRecord undecided_first(std::string where, std::string title, std::string message) {
  ExpectationRecord x;
  x.where = std::move(where);
  x.pointer = "/expect/0";
  x.title = std::move(title);
  x.message = std::move(message);
  return x;
}

// A command that others connect to exited before it listened: it could not start.
inline CaseRecord unstarted_case() {
  CaseRecord c = a_case("server_app", {Verdict::error, "peer_died",
                                       "command \"app\" exited with status 1 before it listened "
                                       "(other peers connect to it)"},
                        60);
  PeerRecord app;
  app.name = "app";
  app.started = true;
  app.exit_code = 1;
  app.command = true;
  app.argv = {"app"};
  app.stderr_tail = "app: bind 127.0.0.1:8080: Address already in use\n";
  c.peers = {app};
  c.expectations = {undecided_first("cases/server_app.json:12:5", "app ESTABLISHED count 1 by 500 ms",
                                    "the case ended before this was decided")};
  return c;
}

// No observation fell in the expectation's window: undecided, the case an error (unresolved).
inline CaseRecord unresolved_case() {
  CaseRecord c = a_case("short_window", {Verdict::error, "unresolved",
                                         "no observation could decide expect[0]"},
                        310);
  c.expectations = {undecided_first("cases/short_window.json:9:5", "server LISTEN count 1 300..301 ms",
                                    "no observation of server fell in 300..301 ms")};
  return c;
}

inline CaseRecord skipped_case() {
  return a_case("ipv6/clean_close", {Verdict::skip, "ipv6", "this kernel has no IPv6"}, 2);
}

inline RunRecord every_verdict() {
  return {{passed_case(), failed_case(), errored_case(), unstarted_case(), skipped_case()}};
}

}  // namespace sockdrill::reports::test
