// Tests of the case parser: every rule of the case format (docs/case-format.md) refuses a bad file with its exact message.
#include "harness/case/case_parser.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "harness/case/placeholders.hpp"

namespace sockdrill {
namespace {

std::vector<std::string> errors_of(const std::string& text) {
  auto r = parse_case_text(text, "case.json", {}, false);
  std::vector<std::string> out;
  for (auto& e : r.errors) out.push_back(e.message);
  EXPECT_EQ(r.spec.has_value(), out.empty());
  return out;
}

// The one error of `text`; fails the test when there are none or several.
std::string error_of(const std::string& text) {
  auto all = errors_of(text);
  EXPECT_EQ(all.size(), 1u) << ::testing::PrintToString(all);
  return all.empty() ? "" : all.front();
}

CaseSpec spec_of(const std::string& text) {
  auto r = parse_case_text(text, "dir/my_case.json", {}, false);
  EXPECT_TRUE(r.spec) << ::testing::PrintToString(errors_of(text));
  return r.spec ? *r.spec : CaseSpec{};
}

// A valid case with one line left for the peers under test (`PEERS`), the timeline and expect.
std::string with(const std::string& peers, const std::string& timeline = "",
                 const std::string& expect =
                     R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 10 })") {
  return "{\n"
         "  \"about\": \"x\",\n"
         "  \"peers\": {\n"
         "    \"server\": { \"listen\": {} },\n"
         "    " + peers + "\n"
         "  },\n"
         "  \"timeline\": [" + timeline + "],\n"
         "  \"expect\": [\n"
         "    " + expect + "\n"
         "  ]\n"
         "}\n";
}
// Line numbers of the template: peers under test on 5, timeline on 7, expect entry on 9.
// A peer line starts at column 5; "timeline": [ ends at column 15, so an entry starts at 16.

const char* const kFormatExample = R"J({
  "about": "The server closes first; the client reads EOF but never calls close(). Its socket stays in CLOSE_WAIT for as long as the process lives, while the server's FIN_WAIT2 expires after tcp_fin_timeout.",
  "sysctl": { "net.ipv4.tcp_fin_timeout": 2 },
  "peers": {
    "server": { "listen": { "backlog": 16 }, "steps": [ { "send": "bye\n" }, { "close": {} } ] },
    "client": { "connect": { "to": "server" },
                "steps": [ { "recv": { "until": "eof" } }, { "hold": {} } ] }
  },
  "expect": [
    { "sockets": { "peer": "client", "state": "CLOSE_WAIT" }, "count": 1, "by_ms": 1000 },
    { "sockets": { "peer": "server", "state": "FIN_WAIT2" }, "count": 1, "by_ms": 1000 },
    { "sockets": { "peer": "server", "state": "FIN_WAIT2" }, "count": 0, "from_ms": 4000, "until_ms": 5000 },
    { "sockets": { "peer": "client", "state": "CLOSE_WAIT" }, "count": 1, "from_ms": 1000, "until_ms": 6000 }
  ]
})J";

// ---------------------------------------------------------------- valid files

TEST(CaseParser, TheFormatsExampleParses) {
  auto spec = spec_of(kFormatExample);
  EXPECT_EQ(spec.name, "my_case");
  EXPECT_EQ(spec.file, "dir/my_case.json");
  EXPECT_EQ(spec.timeout_ms, 10000);
  EXPECT_EQ(spec.sample_ms, 5);
  EXPECT_FALSE(spec.seed);
  EXPECT_EQ(spec.sysctl.at("net.ipv4.tcp_fin_timeout"), "2");
  ASSERT_EQ(spec.peers.size(), 2u);
  EXPECT_EQ(spec.peers[0].name, "server");
  EXPECT_EQ(spec.peers[0].kind, PeerKind::server);
  EXPECT_EQ(spec.peers[0].listen->backlog, 16);
  EXPECT_EQ(spec.peers[0].listen->address, "127.0.0.1");
  EXPECT_EQ(spec.peers[0].listen->port.number, 0);
  EXPECT_EQ(spec.peers[0].where.pointer, "/peers/server");
  EXPECT_EQ(spec.peers[0].where.line, 5);
  EXPECT_EQ(spec.peers[0].where.column, 15);
  EXPECT_EQ(spec.peers[0].script->steps.size(), 2u);
  ASSERT_TRUE(spec.peers[0].script);  // parsed once, kept in the model
  ASSERT_EQ(spec.peers[0].script->steps.size(), 2u);
  EXPECT_EQ(spec.peers[0].script->steps[1]->to_json(), Json::parse(R"({"close": {}})"));
  EXPECT_EQ(spec.peers[1].kind, PeerKind::client);
  EXPECT_EQ(spec.peers[1].connect->to, "server");
  EXPECT_EQ(spec.peers[1].connect->count, 1);
  EXPECT_EQ(spec.peers[1].connect->timeout_ms, 1000);
  ASSERT_EQ(spec.expect.size(), 4u);
  EXPECT_EQ(spec.expect[0].selector.kind, Selector::sockets);
  EXPECT_EQ(spec.expect[0].selector.peer, "client");
  EXPECT_EQ(spec.expect[0].selector.states, std::vector{TcpState::CLOSE_WAIT});
  EXPECT_EQ(spec.expect[0].count.min, 1);
  EXPECT_EQ(spec.expect[0].count.max, 1);
  EXPECT_EQ(spec.expect[0].by_ms, 1000);
  EXPECT_EQ(spec.expect[2].from_ms, 4000);
  EXPECT_EQ(spec.expect[2].until_ms, 5000);
  EXPECT_FALSE(spec.expect[2].by_ms);
  EXPECT_EQ(spec.expect[3].where.pointer, "/expect/3");
  EXPECT_EQ(spec.expect[3].where.line, 13);
  EXPECT_EQ(spec.expect[3].where.column, 5);
  EXPECT_EQ(spec.expect[0].text,
            R"({"sockets":{"peer":"client","state":"CLOSE_WAIT"},"count":1,"by_ms":1000})");
}

TEST(CaseParser, EveryPeerKindTimelineEntryAndSelector) {
  auto spec = spec_of(R"J({
  "about": "all kinds", "timeout_ms": 3000, "sample_ms": 2, "seed": 42,
  "peers": {
    "server": { "listen": { "address": "::1", "port": 8080, "backlog": 4, "reuseaddr": true,
                            "accept": { "on_cue": "go" } }, "on_error": "hold" },
    "server2": { "listen": { "port": "{server.port}", "accept": { "after_ms": 50 } }, "start_ms": 100 },
    "client": { "connect": { "to": "relay", "count": 3, "interval_ms": 10, "timeout_ms": 200 },
                "on_error": "abort" },
    "raw": { "connect": { "to": "[::1]:{server.port}" } },
    "app": { "command": { "argv": ["python3", "{case_dir}/c.py", "{server.address}", "{relay.port}"],
                          "env": { "TARGET": "{server.address}:{server.port}" }, "exit_code": 3 } },
    "relay": { "proxy": { "listen": { "address": "127.0.0.2", "port": 0 }, "to": "server",
               "toxics": [ { "name": "slow", "type": "latency", "stream": "upstream",
                             "toxicity": 0.5, "latency_ms": 100, "jitter_ms": 10 },
                           { "name": "cut", "type": "never_close" } ] } }
  },
  "timeline": [
    { "at_ms": 300, "kill": "app", "signal": "KILL" },
    { "at_ms": 100, "cue": "go" },
    { "at_ms": 200, "fault": { "drop": { "from": "client", "to": "server", "flags": ["syn", "ack"],
                                         "probability": 0.25 } } },
    { "at_ms": 200, "fault": { "clear": true } },
    { "at_ms": 250, "toxic": { "proxy": "relay", "remove": "slow" } },
    { "at_ms": 260, "toxic": { "proxy": "relay", "add": { "name": "slow", "type": "bandwidth",
                                                          "rate_kbps": 8 } } },
    { "at_ms": 270, "kill": "client" }
  ],
  "expect": [
    { "sockets": { "peer": "client", "state": ["ESTABLISHED", "TIME_WAIT"] }, "count": { "min": 1 }, "by_ms": 500 },
    { "events": { "peer": "client", "kind": "error", "errno": "ECONNRESET" }, "count": { "max": 2 }, "by_ms": 500 },
    { "events": { "peer": "app", "kind": "exit", "code": 137 }, "count": { "min": 1, "max": 1 }, "from_ms": 0, "until_ms": 900 },
    { "bytes": { "peer": "server", "dir": "sent" }, "count": 0, "by_ms": 1 },
    { "packets": { "from": "client", "to": "server", "flags": ["rst"] }, "count": 0, "from_ms": 10, "until_ms": 11 }
  ]
})J");
  EXPECT_EQ(spec.timeout_ms, 3000);
  EXPECT_EQ(spec.sample_ms, 2);
  EXPECT_EQ(spec.seed, 42u);
  ASSERT_EQ(spec.peers.size(), 6u);
  auto& server = spec.peers[0];
  EXPECT_EQ(server.listen->address, "::1");
  EXPECT_EQ(server.listen->port.number, 8080);
  EXPECT_EQ(server.listen->backlog, 4);
  EXPECT_TRUE(server.listen->reuseaddr);
  EXPECT_EQ(server.listen->accept.kind, AcceptMode::on_cue);
  EXPECT_EQ(server.listen->accept.cue, "go");
  EXPECT_FALSE(server.start_ms);
  EXPECT_EQ(spec.peers[1].start_ms, 100);
  EXPECT_EQ(server.script->on_error, behaviors::OnError::hold);
  auto& server2 = spec.peers[1];
  EXPECT_EQ(server2.listen->port.peer, "server");
  EXPECT_EQ(server2.listen->accept.kind, AcceptMode::after_ms);
  EXPECT_EQ(server2.listen->accept.delay_ms, 50);
  EXPECT_EQ(server2.start_ms, 100);
  auto& client = spec.peers[2];
  EXPECT_EQ(client.connect->to, "relay");
  EXPECT_EQ(client.connect->count, 3);
  EXPECT_EQ(client.connect->interval_ms, 10);
  EXPECT_EQ(client.connect->timeout_ms, 200);
  EXPECT_EQ(spec.peers[3].connect->to, "[::1]:{server.port}");
  auto& app = spec.peers[4];
  EXPECT_EQ(app.kind, PeerKind::command);
  EXPECT_EQ(app.command->argv.size(), 4u);
  EXPECT_EQ(app.command->argv[1], "{case_dir}/c.py");
  EXPECT_EQ(app.command->env.at("TARGET"), "{server.address}:{server.port}");
  EXPECT_EQ(app.command->exit_code, 3);
  auto& relay = spec.peers[5];
  EXPECT_EQ(relay.kind, PeerKind::proxy);
  EXPECT_EQ(relay.listen->address, "127.0.0.2");
  EXPECT_EQ(relay.proxy_to, "server");
  EXPECT_FALSE(relay.script);
  ASSERT_EQ(relay.toxics.size(), 2u);
  EXPECT_EQ(relay.toxics[0].to_json(),
            Json::parse(R"({"name": "slow", "type": "latency", "stream": "upstream",
                            "toxicity": 0.5, "latency_ms": 100, "jitter_ms": 10})"));
  EXPECT_EQ(relay.toxics[1].kind->type, "never_close");
  EXPECT_EQ(client.script->on_error, behaviors::OnError::abort);

  ASSERT_EQ(spec.timeline.size(), 7u);  // sorted by at_ms, equal times in file order
  EXPECT_EQ(spec.timeline[0].kind, TimelineEntry::Kind::cue);
  EXPECT_EQ(spec.timeline[0].cue_name, "go");
  EXPECT_EQ(spec.timeline[0].where.pointer, "/timeline/1");
  EXPECT_EQ(spec.timeline[1].kind, TimelineEntry::Kind::fault);
  EXPECT_EQ(spec.timeline[1].where.pointer, "/timeline/2");
  EXPECT_EQ(spec.timeline[2].where.pointer, "/timeline/3");
  EXPECT_EQ(spec.timeline[2].written, Json::parse(R"({"clear": true})"));
  EXPECT_EQ(spec.timeline[2].fault.action, FaultSpec::clear);
  EXPECT_EQ(spec.timeline[1].fault_number, 0);  // the first drop or reject in time order
  EXPECT_EQ(spec.timeline[3].kind, TimelineEntry::Kind::toxic);
  EXPECT_FALSE(spec.timeline[3].toxic.add);  // a remove
  ASSERT_TRUE(spec.timeline[4].toxic.add);
  EXPECT_EQ(spec.timeline[4].toxic.add->name, "slow");
  EXPECT_EQ(spec.timeline[4].toxic.add->params->to_json(), Json::parse(R"({"rate_kbps": 8})"));
  EXPECT_EQ(spec.timeline[5].kind, TimelineEntry::Kind::kill);
  EXPECT_EQ(spec.timeline[5].peer, "client");
  EXPECT_EQ(spec.timeline[5].signal, 15);
  EXPECT_EQ(spec.timeline[6].peer, "app");
  EXPECT_EQ(spec.timeline[6].signal, 9);
  EXPECT_EQ(spec.timeline[6].where.line, 18);
  EXPECT_EQ(spec.timeline[6].where.column, 5);

  ASSERT_EQ(spec.expect.size(), 5u);
  EXPECT_EQ(spec.expect[0].selector.states,
            (std::vector{TcpState::ESTABLISHED, TcpState::TIME_WAIT}));
  EXPECT_EQ(spec.expect[0].count.min, 1);
  EXPECT_FALSE(spec.expect[0].count.max);
  EXPECT_EQ(spec.expect[1].selector.kind, Selector::events);
  EXPECT_EQ(spec.expect[1].selector.event_kind, "error");
  EXPECT_EQ(spec.expect[1].selector.errno_name, "ECONNRESET");
  EXPECT_FALSE(spec.expect[1].count.min);
  EXPECT_EQ(spec.expect[1].count.max, 2);
  EXPECT_EQ(spec.expect[2].selector.code, 137);
  EXPECT_EQ(spec.expect[3].selector.kind, Selector::bytes);
  EXPECT_TRUE(spec.expect[3].selector.dir_sent);
  EXPECT_EQ(spec.expect[4].selector.kind, Selector::packets);
  EXPECT_EQ(spec.expect[4].selector.packet_match.flags, std::vector<std::string>{"rst"});
}

TEST(CaseParser, CommentsAreAllowed) {
  auto spec = spec_of(R"J(// leading comment
{
  /* block
     comment */ "about": "x", // trailing
  "peers": { "server": { "listen": {} } /* inline */ },
  "expect": [ { "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 1 } ]
}
// final comment)J");
  EXPECT_EQ(spec.about, "x");
}

TEST(CaseParser, ReadsFilesAndReportsUnreadableOnes) {
  auto path = std::filesystem::path(::testing::TempDir()) / "read_me.json";
  std::ofstream(path) << kFormatExample;
  auto r = parse_case_file(path);
  ASSERT_TRUE(r.spec);
  EXPECT_EQ(r.spec->name, "read_me");
  auto missing = parse_case_file("/nonexistent/nope.json");
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].message,
            "/nonexistent/nope.json: cannot read the case file: No such file or directory");
}

TEST(CaseParser, CollectsEveryErrorInFileOrder) {
  auto all = errors_of(R"J({
  "about": "",
  "timeout_ms": 0,
  "peers": { "server": { "listen": { "backlog": 0 } } },
  "expect": []
})J");
  EXPECT_EQ(all, (std::vector<std::string>{
                     "case.json:2:12: /about: expected a description of what the case "
                     "reproduces and why it matters, got an empty string",
                     "case.json:3:17: /timeout_ms: expected an integer at least 1, got 0",
                     "case.json:4:49: /peers/server/listen/backlog: expected an integer at least "
                     "1, got 0",
                     "case.json:5:13: /expect: expected at least one expectation, got an empty array",
                 }));
}

// ---------------------------------------------------------------- syntax

TEST(CaseSyntax, ANumberNoDoubleHoldsIsAnErrorNotAnException) {
  EXPECT_EQ(error_of("{\n  \"about\": \"x\", \"timeout_ms\": 5e593\n}"),
            "case.json:2:31: expected a number a double can hold (up to about 1.8e308), found 5e593");
  EXPECT_EQ(error_of("{\"a\": [-" + std::string(400, '9') + "]}"),
            "case.json:1:8: expected a number a double can hold (up to about 1.8e308), found -" +
                std::string(400, '9'));
}

TEST(CaseSyntax, MissingComma) {
  EXPECT_EQ(error_of("{\n  \"about\": \"x\"\n  \"peers\": {}\n}"),
            "case.json:3:3: expected ',' or '}' after the value of \"about\", found '\"' "
            "(a comma is missing)");
}

TEST(CaseSyntax, TrailingComma) {
  EXPECT_EQ(error_of("{\n  \"about\": \"x\",\n}"),
            "case.json:3:1: expected a key in double quotes, found '}' (remove the comma before "
            "'}')");
  EXPECT_EQ(error_of("{\"expect\": [1,\n ]}"),
            "case.json:2:2: expected a value after ',', found ']' (remove the comma before ']')");
}

TEST(CaseSyntax, UnclosedStringAndComment) {
  EXPECT_EQ(error_of("{\n  \"about\": \"x\n}"),
            "case.json:2:14: expected '\"' to close the string opened at line 2, column 12, "
            "found the end of the line (write a line break inside a string as \\n)");
  EXPECT_EQ(error_of("{\n  /* open\n"),
            "case.json:2:3: expected '*/' to close this comment, found the end of the file");
}

TEST(CaseSyntax, EmptyFileWrongLiteralUnquotedKeyTrailingText) {
  EXPECT_EQ(error_of("  \n"), "case.json:2:1: expected a JSON object, found an empty file");
  EXPECT_EQ(error_of("{\"a\": True}"),
            "case.json:1:7: expected a value (object, array, string, number, true, false or "
            "null), found 'True' (JSON writes true and false in lower case)");
  EXPECT_EQ(error_of("{about: 1}"),
            "case.json:1:2: expected a key in double quotes, found 'about' (put keys in double "
            "quotes)");
  EXPECT_EQ(error_of("{} x"),
            "case.json:1:4: expected the end of the file after the top-level value, found 'x'");
  EXPECT_EQ(error_of("{\"a\": 01}"),
            "case.json:1:8: expected no digit after a leading 0 (JSON numbers have no leading "
            "zeros), found '1'");
}

TEST(CaseSyntax, InvalidUtf8IsReportedAtItsPlace) {
  auto msg = error_of("{\n  \"about\": \"a\xff\"}");
  EXPECT_TRUE(msg.starts_with("case.json:2:14: ")) << msg;
  EXPECT_EQ(msg.find("[json.exception"), std::string::npos) << msg;
}

TEST(CaseSyntax, DuplicateKeysAreErrors) {
  auto all = errors_of(R"J({
  "about": "x",
  "peers": { "server": { "listen": {} } },
  "about": "y",
  "expect": [ { "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 1 } ]
})J");
  EXPECT_EQ(all, (std::vector<std::string>{
                     "case.json:4:3: /about: duplicate key \"about\" (first at line 2, column 3); "
                     "JSON keeps only one of them, so remove or rename one"}));
}

// ---------------------------------------------------------------- top level

TEST(CaseTopLevel, RootMustBeAnObject) {
  EXPECT_EQ(error_of("[1]"), "case.json:1:1: /: expected an object, got an array");
}

const char* const kClientPeer = R"("c": { "connect": { "to": "server" } })";

TEST(CaseTopLevel, UnknownKeyIsPlacedAtTheKey) {
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "server" } })").insert(1, "\n  \"abut\": 1,")),
            "case.json:2:3: /abut: unknown key \"abut\" (expected one of: about, sysctl, "
            "timeout_ms, sample_ms, seed, peers, timeline, expect, $schema)");
}

// "$schema" is for editors: any non-empty string, read by nobody.
TEST(CaseTopLevel, SchemaKeyForEditors) {
  spec_of(with(kClientPeer).insert(1, "\n  \"$schema\": \"../cases/schema.json\","));
  EXPECT_EQ(error_of(with(kClientPeer).insert(1, "\n  \"$schema\": 1,")),
            "case.json:2:14: /$schema: expected a string, got the integer 1");
}

TEST(CaseTopLevel, RequiredKeys) {
  EXPECT_EQ(errors_of("{}"), (std::vector<std::string>{
                                 "case.json:1:1: /: missing required key \"about\"",
                                 "case.json:1:1: /: missing required key \"peers\"",
                                 "case.json:1:1: /: missing required key \"expect\""}));
}

TEST(CaseTopLevel, AboutMustBeANonEmptyString) {
  EXPECT_EQ(error_of(R"({"about": 5, "peers": {"s": {"listen": {}}}, "expect": [{"sockets": {"peer": "s", "state": "LISTEN"}, "count": 1, "by_ms": 1}]})"),
            "case.json:1:11: /about: expected a string, got the integer 5");
  EXPECT_EQ(error_of(R"({"about": "  ", "peers": {"s": {"listen": {}}}, "expect": [{"sockets": {"peer": "s", "state": "LISTEN"}, "count": 1, "by_ms": 1}]})"),
            "case.json:1:11: /about: expected a description of what the case reproduces and why "
            "it matters, got an empty string");
}

// Prepends top-level members to a valid case (they land on line 2).
std::string top(const std::string& members) {
  return "{\n  " + members + "\n  \"about\": \"x\", \"peers\": { \"s\": { \"listen\": {} } },\n"
         "  \"expect\": [ { \"sockets\": { \"peer\": \"s\", \"state\": \"LISTEN\" }, \"count\": 1, "
         "\"by_ms\": 1 } ]\n}";
}

TEST(CaseTopLevel, TimeoutSampleAndSeed) {
  EXPECT_EQ(error_of(top(R"("timeout_ms": 0,)")),
            "case.json:2:17: /timeout_ms: expected an integer at least 1, got 0");
  EXPECT_EQ(error_of(top(R"("timeout_ms": 1.5,)")),
            "case.json:2:17: /timeout_ms: expected an integer, got the number 1.5");
  EXPECT_EQ(error_of(top(R"("timeout_ms": 5000000000,)")),
            "case.json:2:17: /timeout_ms: expected an integer at most 2147483647, got 5000000000");
  EXPECT_EQ(error_of(top(R"("sample_ms": 0,)")),
            "case.json:2:16: /sample_ms: expected an integer at least 1, got 0");
  EXPECT_EQ(error_of(top(R"("sample_ms": "5",)")),
            "case.json:2:16: /sample_ms: expected an integer, got a string \"5\"");
  EXPECT_EQ(error_of(top(R"("seed": -1,)")),
            "case.json:2:11: /seed: expected an integer from 0 to 9223372036854775807, got -1");
  auto spec = spec_of(top(R"("seed": 0, "timeout_ms": 20000, "sample_ms": 1,)"));
  EXPECT_EQ(spec.seed, 0u);
  EXPECT_EQ(spec.timeout_ms, 20000);
  EXPECT_EQ(spec.sample_ms, 1);
}

TEST(CaseTopLevel, PeersMustBeANonEmptyObjectOfWellNamedPeers) {
  EXPECT_EQ(errors_of(R"({"about": "x", "peers": {}, "expect": [{"bytes": {"peer": "s", "dir": "sent"}, "count": 1, "by_ms": 1}]})"),
            (std::vector<std::string>{
                "case.json:1:25: /peers: expected at least one peer, got an empty object",
                "case.json:1:59: /expect/0/bytes/peer: no peer named \"s\" (the peers are: none)"}));
  EXPECT_EQ(error_of(with(R"("Client-1": { "connect": { "to": "server" } })")),
            "case.json:5:5: /peers/Client-1: expected a peer name of a-z, 0-9, '_' and '-' "
            "starting with a letter a-z, got \"Client-1\"");
  EXPECT_EQ(error_of(with(R"("9c": { "connect": { "to": "server" } })")),
            "case.json:5:5: /peers/9c: expected a peer name of a-z, 0-9, '_' and '-' starting "
            "with a letter a-z, got \"9c\"");
  spec_of(with(R"("c_2-x": { "connect": { "to": "server" } })"));
}

TEST(CaseTopLevel, ExpectMustBeANonEmptyArray) {
  EXPECT_EQ(error_of(R"({"about": "x", "peers": {"s": {"listen": {}}}, "expect": []})"),
            "case.json:1:58: /expect: expected at least one expectation, got an empty array");
  EXPECT_EQ(error_of(R"({"about": "x", "peers": {"s": {"listen": {}}}, "expect": {}})"),
            "case.json:1:58: /expect: expected an array, got an object");
}

// ---------------------------------------------------------------- sysctl

TEST(CaseSysctl, NamesMustBeNetSettingsOfThisKernel) {
  EXPECT_EQ(error_of(top(R"("sysctl": { "kernel.pid_max": 1 },)")),
            "case.json:2:15: /sysctl/kernel.pid_max: expected a sysctl name such as "
            "\"net.ipv4.tcp_fin_timeout\", got \"kernel.pid_max\" (only \"net.*\" settings "
            "belong to the case's network namespace)");
  EXPECT_EQ(error_of(top(R"("sysctl": { "net/ipv4/tcp_fin_timeout": 1 },)")),
            "case.json:2:15: /sysctl/net~1ipv4~1tcp_fin_timeout: expected a sysctl name such as "
            "\"net.ipv4.tcp_fin_timeout\", got \"net/ipv4/tcp_fin_timeout\" ('/' is not allowed: "
            "use a-z, 0-9, '_' and '-' between dots)");
  EXPECT_EQ(error_of(top(R"("sysctl": { "net.ipv4..tcp_fin_timeout": 1 },)")),
            "case.json:2:15: /sysctl/net.ipv4..tcp_fin_timeout: expected a sysctl name such as "
            "\"net.ipv4.tcp_fin_timeout\", got \"net.ipv4..tcp_fin_timeout\" (a part between "
            "dots is empty)");
  EXPECT_EQ(error_of(top(R"("sysctl": { "net.ipv4.tcp_fin_timeot": 1 },)")),
            "case.json:2:15: /sysctl/net.ipv4.tcp_fin_timeot: no such sysctl "
            "\"net.ipv4.tcp_fin_timeot\": /proc/sys/net/ipv4/tcp_fin_timeot does not exist on "
            "this kernel");
  EXPECT_EQ(error_of(top(R"("sysctl": { "net.ipv4": 1 },)")),
            "case.json:2:15: /sysctl/net.ipv4: expected a sysctl, got \"net.ipv4\", which is a "
            "group of sysctls (/proc/sys/net/ipv4 is a folder)");
}

TEST(CaseSysctl, ValuesAreIntegersOrOneLineStringsStoredAsText) {
  EXPECT_EQ(error_of(top(R"("sysctl": { "net.ipv4.tcp_fin_timeout": 1.5 },)")),
            "case.json:2:43: /sysctl/net.ipv4.tcp_fin_timeout: expected an integer or a string "
            "on one line, got the number 1.5");
  EXPECT_EQ(error_of(top(R"("sysctl": { "net.ipv4.tcp_fin_timeout": "1\n2" },)")),
            "case.json:2:43: /sysctl/net.ipv4.tcp_fin_timeout: expected an integer or a string "
            "on one line, got a string \"1\\n2\"");
  auto spec = spec_of(top(R"("sysctl": { "net.ipv4.tcp_fin_timeout": 2, "net.ipv4.tcp_rmem": "4096 8192 16384" },)"));
  EXPECT_EQ(spec.sysctl.at("net.ipv4.tcp_fin_timeout"), "2");
  EXPECT_EQ(spec.sysctl.at("net.ipv4.tcp_rmem"), "4096 8192 16384");
}

// ---------------------------------------------------------------- peers

TEST(CasePeers, ExactlyOneKind) {
  EXPECT_EQ(error_of(with(R"("c": { "start_ms": 1 })")),
            "case.json:5:10: /peers/c: expected one of \"listen\", \"connect\", \"command\", "
            "\"proxy\", found none");
  EXPECT_EQ(error_of(with(R"("c": { "listen": {}, "connect": { "to": "server" } })")),
            "case.json:5:10: /peers/c: expected only one of \"listen\", \"connect\", \"command\", "
            "\"proxy\", found 2");
  EXPECT_EQ(error_of(with(R"("c": 5)")), "case.json:5:10: /peers/c: expected an object, got the integer 5");
}

TEST(CasePeers, AllowedKeysDependOnTheKind) {
  EXPECT_EQ(error_of(with(R"("c": { "listen": {}, "argv": [] })")),
            "case.json:5:26: /peers/c/argv: unknown key \"argv\" (expected one of: listen, "
            "options, steps, on_error, start_ms)");
  EXPECT_EQ(error_of(with(R"("c": { "command": { "argv": ["true"] }, "steps": [] })")),
            "case.json:5:45: /peers/c/steps: unknown key \"steps\" (expected one of: command, "
            "start_ms)");
  EXPECT_EQ(error_of(with(R"("c": { "proxy": { "to": "server" }, "on_error": "close" })")),
            "case.json:5:41: /peers/c/on_error: unknown key \"on_error\" (expected one of: proxy, "
            "start_ms)");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "server" }, "start_ms": -1 })")),
            "case.json:5:55: /peers/c/start_ms: expected an integer at least 0, got -1");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "server" }, "on_error": "retry" })")),
            "case.json:5:55: /peers/c/on_error: expected one of \"close\", \"hold\", \"abort\", "
            "got \"retry\"");
}

TEST(CasePeers, Listen) {
  EXPECT_EQ(error_of(with(R"("s2": { "listen": { "address": "localhost" } })")),
            "case.json:5:36: /peers/s2/listen/address: expected an IPv4 or IPv6 address such as "
            "\"127.0.0.1\" or \"::1\", got \"localhost\"");
  EXPECT_EQ(error_of(with(R"("s2": { "listen": { "port": 65536 } })")),
            "case.json:5:33: /peers/s2/listen/port: expected an integer from 0 to 65535, got 65536");
  EXPECT_EQ(error_of(with(R"("s2": { "listen": { "port": "80" } })")),
            "case.json:5:33: /peers/s2/listen/port: expected a port: an integer from 0 to 65535 or "
            "\"{PEER.port}\", got a string \"80\"");
  EXPECT_EQ(error_of(with(R"("s2": { "listen": { "port": "{s2.port}" } })")),
            "case.json:5:33: /peers/s2/listen/port: placeholder \"{s2.port}\": peer \"s2\" is this "
            "peer itself; name another peer");
  EXPECT_EQ(error_of(with(R"("s2": { "listen": { "port": "{nobody.port}" } })")),
            "case.json:5:33: /peers/s2/listen/port: placeholder \"{nobody.port}\": no peer named "
            "\"nobody\" (the peers are: s2, server)");
  EXPECT_EQ(errors_of(with(R"("s2": { "listen": { "backlog": 0, "reuseaddr": 1 } })")),
            (std::vector<std::string>{
                "case.json:5:36: /peers/s2/listen/backlog: expected an integer at least 1, got 0",
                "case.json:5:52: /peers/s2/listen/reuseaddr: expected true or false, got the "
                "integer 1"}));
  EXPECT_EQ(error_of(with(R"("s2": { "listen": { "accept": "later" } })")),
            "case.json:5:35: /peers/s2/listen/accept: expected \"immediately\", \"never\", "
            "{\"after_ms\": N} or {\"on_cue\": \"NAME\"}, got a string \"later\"");
  EXPECT_EQ(error_of(with(R"("s2": { "listen": { "accept": { "after_ms": 5, "on_cue": "x" } } })")),
            "case.json:5:35: /peers/s2/listen/accept: expected only one of \"after_ms\", "
            "\"on_cue\", found 2");
  EXPECT_EQ(error_of(with(R"("s2": { "listen": { "accept": { "on_cue": "go" } } })")),
            "case.json:5:47: /peers/s2/listen/accept/on_cue: cue \"go\" is never given: add "
            "{\"at_ms\": N, \"cue\": \"go\"} to the timeline");
  auto spec = spec_of(with(R"("s2": { "listen": { "address": "::", "accept": "never" } })",
                           R"({ "at_ms": 1, "cue": "unused" })"));
  EXPECT_EQ(spec.peers[1].listen->accept.kind, AcceptMode::never);
}

TEST(CasePeers, ListenPortOfAnotherPeerMustListen) {
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "server" } }, "s2": { "listen": { "port": "{c.port}" } })")),
            "case.json:5:73: /peers/s2/listen/port: placeholder \"{c.port}\": peer \"c\" does not "
            "listen (it is a client); name a server, a proxy or a command that listens");
}

TEST(CasePeers, Connect) {
  EXPECT_EQ(error_of(with(R"("c": { "connect": { } })")),
            "case.json:5:23: /peers/c/connect: missing required key \"to\"");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "srv" } })")),
            "case.json:5:31: /peers/c/connect/to: no peer named \"srv\" (the peers are: c, server)");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "c" } })")),
            "case.json:5:31: /peers/c/connect/to: peer \"c\" is this peer itself; name another peer");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "localhost:80" } })")),
            "case.json:5:31: /peers/c/connect/to: expected an IPv4 or IPv6 address before the "
            "port, got \"localhost\" in \"localhost:80\"");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "127.0.0.1:65536" } })")),
            "case.json:5:31: /peers/c/connect/to: expected a port from 0 to 65535 after the last "
            "':', got \"65536\" in \"127.0.0.1:65536\"");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "::1:80" } })")),
            "case.json:5:31: /peers/c/connect/to: expected an IPv6 address in brackets, as in "
            "\"[::1]:8080\", got \"::1:80\"");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "{srv.address}:1" } })")),
            "case.json:5:31: /peers/c/connect/to: placeholder \"{srv.address}\": no peer named "
            "\"srv\" (the peers are: c, server)");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "{host}:1" } })")),
            "case.json:5:31: /peers/c/connect/to: unknown placeholder \"{host}\" (expected "
            "{PEER.address}, {PEER.port}, {case_dir}, or a name given with --define NAME=VALUE)");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "server", "count": 0 } })")),
            "case.json:5:50: /peers/c/connect/count: expected an integer from 1 to 100000, got 0");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "server", "timeout_ms": 0 } })")),
            "case.json:5:55: /peers/c/connect/timeout_ms: expected an integer at least 1, got 0");
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "server", "interval_ms": -1 } })")),
            "case.json:5:56: /peers/c/connect/interval_ms: expected an integer at least 0, got -1");
  spec_of(with(R"("c": { "connect": { "to": "127.0.0.1:{server.port}" } })"));
}

TEST(CasePeers, CaseDirIsTheFileFolderWithoutDotParts) {
  EXPECT_EQ(sockdrill::case_dir_of("/srv/cases/./net/../a.json"), "/srv/cases");
  EXPECT_EQ(sockdrill::case_dir_of("./a.json"), std::filesystem::current_path().string());
}

TEST(CasePeers, DefinedNamesArePlaceholders) {
  const std::string text = with(R"("app": { "command": { "argv": ["{my_tool}", "{server.port}"] } })");
  EXPECT_NE(error_of(text).find("unknown placeholder \"{my_tool}\" as the program"), std::string::npos);
  auto parsed = parse_case_text(text, "case.json", {{"my_tool", "/opt/bin/tool"}}, false);
  ASSERT_TRUE(parsed.spec) << (parsed.errors.empty() ? "" : parsed.errors[0].message);
  EXPECT_EQ(parsed.spec->defines.at("my_tool"), "/opt/bin/tool");
}

TEST(CasePeers, ACommandThatListensCanBeConnectedTo) {
  auto spec = spec_of(with(R"("app": { "command": { "argv": ["python3", "-m", "http.server"] } },
                              "c": { "connect": { "to": "app" } },
                              "c2": { "connect": { "to": "{app.address}:{app.port}" } })"));
  EXPECT_EQ(spec.find_peer("c")->connect->to, "app");
}

// What each peer needs listening before it starts: the runner's start order comes from it.
TEST(CasePeers, NeedsNameEveryPeerThatMustListenFirst) {
  auto spec = spec_of(with(R"("relay": { "proxy": { "to": "{app.address}:{app.port}" } },
                              "app": { "command": { "argv": ["tool", "-w", "%{http_code}", "{server.port}"],
                                                    "env": { "UP": "{server.address}" } } },
                              "again": { "listen": { "port": "{relay.port}" } },
                              "c": { "connect": { "to": "relay" } },
                              "lone": { "command": { "argv": ["true", "{case_dir}"] } })"));
  using Names = std::set<std::string>;
  EXPECT_EQ(spec.find_peer("server")->needs, Names{});
  EXPECT_EQ(spec.find_peer("relay")->needs, Names{"app"});
  EXPECT_EQ(spec.find_peer("app")->needs, Names{"server"});
  EXPECT_EQ(spec.find_peer("again")->needs, Names{"relay"});
  EXPECT_EQ(spec.find_peer("c")->needs, Names{"relay"});
  EXPECT_EQ(spec.find_peer("lone")->needs, Names{});
}

TEST(CasePeers, ACommandOnTheWireMustListen) {
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": ["curl", "{server.address}"] } })", "",
                          R"({ "packets": { "from": "app" }, "count": 1, "by_ms": 10 })")),
            "case.json:9:28: /expect/0/packets/from: peer \"app\" is a command that no peer "
            "connects to: its packets cannot be told apart (it has no address of its own); name "
            "the peer it talks to instead");
  spec_of(with(R"("web": { "command": { "argv": ["python3", "-m", "http.server", "8000"] } },
                  "c": { "connect": { "to": "web" } })", "",
               R"({ "packets": { "to": "web", "flags": ["syn"] }, "count": 1, "by_ms": 10 })"));
}

TEST(CasePeers, ACommandRaisesOnlyExitEvents) {
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": ["curl", "{server.address}"] } })", "",
                          R"({ "events": { "peer": "app", "kind": "closed" }, "count": 1, "by_ms": 10 })")),
            "case.json:9:42: /expect/0/events/kind: peer \"app\" is a command: sockdrill sees its "
            "sockets and its exit, not its calls, so its only events are \"exit\"; use a sockets or "
            "bytes expectation for it, or events of the peer it talks to");
  spec_of(with(R"("app": { "command": { "argv": ["curl", "{server.address}"] } })", "",
               R"({ "events": { "peer": "app", "kind": "exit", "code": 0 }, "count": 1, "by_ms": 10 })"));
}

TEST(CasePeers, Command) {
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": [] } })")),
            "case.json:5:35: /peers/app/command/argv: expected the program and its arguments, got "
            "an empty array");
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": ["x", 1] } })")),
            "case.json:5:41: /peers/app/command/argv/1: expected a string, got the integer 1");
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": ["x", "{app.port}"] } })")),
            "case.json:5:41: /peers/app/command/argv/1: placeholder \"{app.port}\": peer \"app\" is "
            "this peer itself; name another peer");
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": ["x"], "env": { "A": 1 } } })")),
            "case.json:5:56: /peers/app/command/env/A: expected a string, got the integer 1");
  // Braces that are not placeholders belong to the program: curl -w '%{http_code}', a dict.
  auto kept = spec_of(with(R"("app": { "command": { "argv": ["curl", "-w", "%{http_code} {x}", "{'a': 1}"],
                                                      "env": { "A": "{dir}" } } })"));
  EXPECT_EQ(kept.find_peer("app")->command->argv[2], "%{http_code} {x}");
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": ["{tool}"] } })")),
            "case.json:5:36: /peers/app/command/argv/0: unknown placeholder \"{tool}\" as the program "
            "(expected {PEER.address}, {PEER.port}, {case_dir}, or a name given with "
            "--define NAME=VALUE)");
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": ["x"], "exit_code": 256 } })")),
            "case.json:5:55: /peers/app/command/exit_code: expected an integer from 0 to 255, got 256");
  EXPECT_EQ(error_of(with(R"("app": { "command": { "argv": ["x"], "cwd": "/" } })")),
            "case.json:5:42: /peers/app/command/cwd: unknown key \"cwd\" (expected one of: argv, "
            "env, exit_code)");
}

TEST(CasePeers, Proxy) {
  EXPECT_EQ(error_of(with(R"("p": { "proxy": { "listen": { "port": 0 } } })")),
            "case.json:5:21: /peers/p/proxy: missing required key \"to\"");
  EXPECT_EQ(error_of(with(R"("p": { "proxy": { "to": "server", "listen": { "backlog": 1 } } })")),
            "case.json:5:51: /peers/p/proxy/listen/backlog: unknown key \"backlog\" (expected one "
            "of: address, port)");
  EXPECT_EQ(error_of(with(R"("p": { "proxy": { "to": "p" } })")),
            "case.json:5:29: /peers/p/proxy/to: peer \"p\" is this peer itself; name another peer");
  const std::string toxic = R"("p": { "proxy": { "to": "server", "toxics": [ )";  // toxic at 5:50
  EXPECT_EQ(error_of(with(toxic + R"({ "name": "a", "type": "jitter" } ] } })")),
            "case.json:5:74: /peers/p/proxy/toxics/0/type: expected one of \"latency\", "
            "\"bandwidth\", \"slicer\", \"slow_close\", \"timeout\", \"reset_peer\", \"limit_data\", "
            "\"never_close\", got \"jitter\"");
  EXPECT_EQ(error_of(with(toxic + R"({ "name": "a", "type": "latency", "rate_kbps": 1 } ] } })")),
            "case.json:5:85: /peers/p/proxy/toxics/0/rate_kbps: unknown key \"rate_kbps\" (expected "
            "one of: name, type, stream, toxicity, latency_ms, jitter_ms)");
  EXPECT_EQ(error_of(with(toxic + R"({ "name": "a", "type": "latency", "latency_ms": -5 } ] } })")),
            "case.json:5:99: /peers/p/proxy/toxics/0/latency_ms: expected an integer at least 0, "
            "got -5");
  EXPECT_EQ(error_of(with(toxic + R"({ "name": "a", "type": "timeout", "stream": "up" } ] } })")),
            "case.json:5:95: /peers/p/proxy/toxics/0/stream: expected one of \"upstream\", "
            "\"downstream\", got \"up\"");
  EXPECT_EQ(error_of(with(toxic + R"({ "name": "a", "type": "timeout", "toxicity": 1.5 } ] } })")),
            "case.json:5:97: /peers/p/proxy/toxics/0/toxicity: expected a number from 0.0 to 1.0, "
            "got 1.5");
  EXPECT_EQ(error_of(with(toxic + R"({ "name": "a", "type": "bandwidth", "rate_kbps": 9e18 } ] } })")),
            "case.json:5:100: /peers/p/proxy/toxics/0/rate_kbps: expected an integer at most "
            "2147483647, got 9e+18");
  EXPECT_EQ(error_of(with(toxic + R"({ "type": "timeout" } ] } })")),
            "case.json:5:51: /peers/p/proxy/toxics/0: missing required key \"name\"");
  EXPECT_EQ(error_of(with(toxic + R"({ "name": "a", "type": "timeout" }, { "name": "a", "type": "slicer" } ] } })")),
            "case.json:5:97: /peers/p/proxy/toxics/1/name: toxic name \"a\" is used twice in this "
            "proxy; give each toxic its own name");
}

TEST(CasePeers, StepsAndOptionsAreValidatedByTheBehaviors) {
  // The wording of step and option errors belongs to behaviors/; here only that they arrive.
  auto all = errors_of(with(R"("c": { "connect": { "to": "server" }, "options": { "nope": 1 }, "steps": [ { "fly": {} } ] })"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].starts_with("case.json:5:"));
  EXPECT_TRUE(all[0].starts_with("case.json:5:56: /peers/c/options/nope: ")) << all[0];  // the key
  EXPECT_NE(all[1].find("/peers/c/steps/0"), std::string::npos);
}

TEST(CasePeers, EveryWaitedCueMustBeGiven) {
  EXPECT_EQ(error_of(with(R"("c": { "connect": { "to": "server" }, "steps": [ { "wait": "go" } ] })")),
            "case.json:5:54: /peers/c/steps/0: cue \"go\" is never given: add {\"at_ms\": N, \"cue\": "
            "\"go\"} to the timeline");
  spec_of(with(R"("c": { "connect": { "to": "server" }, "steps": [ { "wait": "go" } ] })",
               R"({ "at_ms": 5, "cue": "go" })"));
}

// ---------------------------------------------------------------- timeline

const std::string kClient = R"("c": { "connect": { "to": "server" } })";

TEST(CaseTimeline, Entries) {
  EXPECT_EQ(error_of(with(kClient, R"({ "cue": "go" })")),
            "case.json:7:16: /timeline/0: missing required key \"at_ms\"");
  EXPECT_EQ(error_of(with(kClient, R"({ "at_ms": -1, "cue": "go" })")),
            "case.json:7:27: /timeline/0/at_ms: expected an integer at least 0, got -1");
  EXPECT_EQ(error_of(with(kClient, R"({ "at_ms": 1 })")),
            "case.json:7:16: /timeline/0: expected one of \"cue\", \"kill\", \"fault\", \"toxic\", "
            "found none");
  EXPECT_EQ(error_of(with(kClient, R"({ "at_ms": 1, "cue": "a", "kill": "c" })")),
            "case.json:7:16: /timeline/0: expected only one of \"cue\", \"kill\", \"fault\", "
            "\"toxic\", found 2");
  EXPECT_EQ(error_of(with(kClient, R"({ "at_ms": 1, "cue": "" })")),
            "case.json:7:37: /timeline/0/cue: expected a cue name, got an empty string");
  EXPECT_EQ(errors_of(with(kClient, R"({ "at_ms": 1, "pause": 1 })")),
            (std::vector<std::string>{
                "case.json:7:30: /timeline/0/pause: unknown key \"pause\" (expected one of: "
                "at_ms, cue, kill, signal, fault, toxic)",
                "case.json:7:16: /timeline/0: expected one of \"cue\", \"kill\", \"fault\", "
                "\"toxic\", found none"}));
}

TEST(CaseTimeline, Kill) {
  EXPECT_EQ(error_of(with(kClient, R"({ "at_ms": 1, "kill": "x" })")),
            "case.json:7:38: /timeline/0/kill: no peer named \"x\" (the peers are: c, server)");
  EXPECT_EQ(error_of(with(kClient, R"({ "at_ms": 1, "kill": "c", "signal": "HUP" })")),
            "case.json:7:53: /timeline/0/signal: expected one of \"TERM\", \"KILL\", got \"HUP\"");
  EXPECT_EQ(error_of(with(kClient, R"({ "at_ms": 1, "cue": "a", "signal": "KILL" })")),
            "case.json:7:52: /timeline/0/signal: \"signal\" goes only with \"kill\"");
}

TEST(CaseTimeline, Fault) {
  const std::string f = R"({ "at_ms": 1, "fault": )";  // fault value at 7:40
  EXPECT_EQ(error_of(with(kClient, f + R"({} })")),
            "case.json:7:39: /timeline/0/fault: expected one of \"drop\", \"reject\", \"clear\", "
            "found none");
  EXPECT_EQ(error_of(with(kClient, f + R"({ "clear": false } })")),
            "case.json:7:50: /timeline/0/fault/clear: expected true (\"clear\": true removes every "
            "fault), got the boolean false");
  EXPECT_EQ(error_of(with(kClient, f + R"({ "drop": { "from": "x" } } })")),
            "case.json:7:59: /timeline/0/fault/drop/from: no peer named \"x\" (the peers are: c, "
            "server)");
  EXPECT_EQ(error_of(with(kClient, f + R"({ "reject": { "flags": ["syn", "urg"] } } })")),
            "case.json:7:70: /timeline/0/fault/reject/flags/1: expected one of \"syn\", \"ack\", "
            "\"fin\", \"rst\", \"psh\", got \"urg\"");
  EXPECT_EQ(error_of(with(kClient, f + R"({ "reject": { "flags": ["syn", "syn"] } } })")),
            "case.json:7:70: /timeline/0/fault/reject/flags/1: flag \"syn\" is listed twice");
  EXPECT_EQ(error_of(with(kClient, f + R"({ "drop": { "probability": 2 } } })")),
            "case.json:7:66: /timeline/0/fault/drop/probability: expected a number from 0.0 to "
            "1.0, got 2");
  // A negative number too small for a double is -0.0, still negative as written.
  EXPECT_EQ(error_of(with(kClient, f + R"({ "drop": { "probability": -5e-593 } } })")),
            "case.json:7:66: /timeline/0/fault/drop/probability: expected a number from 0.0 to "
            "1.0, got -0.0");
  EXPECT_EQ(error_of(with(kClient, f + R"({ "drop": { "port": 80 } } })")),
            "case.json:7:51: /timeline/0/fault/drop/port: unknown key \"port\" (expected one of: "
            "from, to, flags, probability)");
}

TEST(CaseTimeline, Toxic) {
  const std::string proxy = R"("p": { "proxy": { "to": "server", "toxics": [ { "name": "t", "type": "timeout" } ] } })";
  const std::string t = R"({ "at_ms": 1, "toxic": )";  // toxic value at 7:40
  EXPECT_EQ(error_of(with(proxy, t + R"({ "proxy": "server", "remove": "t" } })")),
            "case.json:7:50: /timeline/0/toxic/proxy: peer \"server\" is not a proxy (it is a "
            "server); toxics belong to proxy peers");
  EXPECT_EQ(error_of(with(proxy, t + R"({ "proxy": "p" } })")),
            "case.json:7:39: /timeline/0/toxic: expected one of \"add\", \"remove\", found none");
  EXPECT_EQ(error_of(with(proxy, t + R"({ "proxy": "p", "remove": "u" } })")),
            "case.json:7:65: /timeline/0/toxic/remove: proxy \"p\" has no toxic named \"u\" at 1 ms "
            "(it has: t)");
  EXPECT_EQ(error_of(with(proxy, t + R"({ "proxy": "p", "add": { "name": "t", "type": "slicer" } } })")),
            "case.json:7:72: /timeline/0/toxic/add/name: proxy \"p\" already has a toxic named "
            "\"t\" at 1 ms; remove it first or choose another name");
  EXPECT_EQ(error_of(with(proxy, t + R"({ "proxy": "p", "add": { "name": "u", "type": "slicer", "bytes": 1 } } })")),
            "case.json:7:95: /timeline/0/toxic/add/bytes: unknown key \"bytes\" (expected one of: "
            "name, type, stream, toxicity, average_size, size_variation, delay_us)");
  // Removed, then added again: valid in time order even though written the other way round.
  spec_of(with(proxy, t + R"({ "proxy": "p", "add": { "name": "t", "type": "slicer" } } }, )" +
                          R"({ "at_ms": 0, "toxic": { "proxy": "p", "remove": "t" } })"));
}

// ---------------------------------------------------------------- expect

std::string expect(const std::string& entry) { return with(kClient, "", entry); }

TEST(CaseExpect, SelectorQuantityAndWindowAreRequired) {
  EXPECT_EQ(error_of(expect(R"({ "count": 1, "by_ms": 1 })")),
            "case.json:9:5: /expect/0: expected one of \"sockets\", \"events\", \"bytes\", "
            "\"packets\", \"counter\", found none");
  EXPECT_EQ(error_of(expect(R"({ "bytes": { "peer": "c", "dir": "sent" }, "packets": {}, "count": 1, "by_ms": 1 })")),
            "case.json:9:5: /expect/0: expected only one of \"sockets\", \"events\", \"bytes\", "
            "\"packets\", \"counter\", found 2");
  EXPECT_EQ(error_of(expect(R"({ "bytes": { "peer": "c", "dir": "sent" }, "by_ms": 1 })")),
            "case.json:9:5: /expect/0: missing required key \"count\"");
  EXPECT_EQ(error_of(expect(R"({ "bytes": { "peer": "c", "dir": "sent" }, "count": 1 })")),
            "case.json:9:5: /expect/0: expected a time window: \"by_ms\" (eventually) or "
            "\"from_ms\" with \"until_ms\" (always), found none");
  EXPECT_EQ(errors_of(expect(R"({ "bytes": { "peer": "c", "dir": "sent" }, "count": 1, "by_ms": 1, "within_ms": 1 })")),
            std::vector<std::string>{"case.json:9:72: /expect/0/within_ms: unknown key \"within_ms\" (expected one of: "
            "sockets, events, bytes, packets, counter, count, by_ms, from_ms, until_ms)"});
}

TEST(CaseExpect, ACounterSlipIsRefusedAndAnUnknownCounterIsLeftToTheRun) {
  EXPECT_EQ(error_of(expect(R"({ "counter": "TcpExtListenOverflow", "count": 0, "by_ms": 1 })")),
            "case.json:9:18: /expect/0/counter: this kernel has no TCP counter \"TcpExtListenOverflow\": did you "
            "mean \"TcpExtListenOverflows\"? (a counter a kernel lacks makes the case skip, so a slip would pass "
            "unseen)");
  EXPECT_EQ(errors_of(expect(R"({ "counter": "TcpExtSomethingNewerThanThisKernel", "count": 0, "by_ms": 1 })")),
            std::vector<std::string>{});
}

TEST(CaseExpect, Count) {
  const std::string sel = R"({ "bytes": { "peer": "c", "dir": "sent" }, "by_ms": 1, "count": )";  // at 9:69
  EXPECT_EQ(error_of(expect(sel + "-1 }")),
            "case.json:9:69: /expect/0/count: expected an integer at least 0, got -1");
  EXPECT_EQ(error_of(expect(sel + R"("2" })")),
            "case.json:9:69: /expect/0/count: expected a count: an integer or {\"min\": A, \"max\": "
            "B}, got a string \"2\"");
  EXPECT_EQ(error_of(expect(sel + R"({ "min": 3, "max": 1 } })")),
            "case.json:9:69: /expect/0/count: expected \"min\" (3) to be at most \"max\" (1)");
  EXPECT_EQ(error_of(expect(sel + R"({} })")),
            "case.json:9:69: /expect/0/count: expected \"min\", \"max\" or both, got an object "
            "with neither (such a count would hold for any value)");
  EXPECT_EQ(error_of(expect(sel + R"({ "least": 3 } })")),
            "case.json:9:71: /expect/0/count/least: unknown key \"least\" (expected one of: min, "
            "max)");
  auto spec = spec_of(expect(sel + R"({ "max": 2 } })"));
  EXPECT_FALSE(spec.expect[0].count.min);
  EXPECT_EQ(spec.expect[0].count.max, 2);
}

TEST(CaseExpect, Window) {
  const std::string sel = R"({ "bytes": { "peer": "c", "dir": "sent" }, "count": 1, )";  // at 9:60
  EXPECT_EQ(error_of(expect(sel + R"("by_ms": 1, "from_ms": 1, "until_ms": 2 })")),
            "case.json:9:5: /expect/0: expected one time window, \"by_ms\" or \"from_ms\" with "
            "\"until_ms\", found both forms");
  EXPECT_EQ(error_of(expect(sel + R"("from_ms": 1 })")),
            "case.json:9:5: /expect/0: expected \"from_ms\" and \"until_ms\" together (both or "
            "neither), found only \"from_ms\"");
  EXPECT_EQ(error_of(expect(sel + R"("until_ms": 1 })")),
            "case.json:9:5: /expect/0: expected \"from_ms\" and \"until_ms\" together (both or "
            "neither), found only \"until_ms\"");
  EXPECT_EQ(error_of(expect(sel + R"("from_ms": 5, "until_ms": 4 })")),
            "case.json:9:86: /expect/0/until_ms: expected \"until_ms\" (4) to be at least "
            "\"from_ms\" (5)");
  EXPECT_EQ(error_of(expect(sel + R"("by_ms": -1 })")),
            "case.json:9:69: /expect/0/by_ms: expected an integer at least 0, got -1");
}

TEST(CaseExpect, Sockets) {
  const std::string w = R"(, "count": 1, "by_ms": 1 })";
  EXPECT_EQ(error_of(expect(R"({ "sockets": { "peer": "x", "state": "LISTEN" })" + w)),
            "case.json:9:28: /expect/0/sockets/peer: no peer named \"x\" (the peers are: c, "
            "server)");
  EXPECT_EQ(error_of(expect(R"({ "sockets": { "peer": "c", "state": "CLOSEWAIT" })" + w)),
            "case.json:9:42: /expect/0/sockets/state: expected a TCP state (LISTEN SYN_SENT "
            "SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT "
            "CLOSE), got \"CLOSEWAIT\": did you mean \"CLOSE_WAIT\"?");
  EXPECT_EQ(error_of(expect(R"({ "sockets": { "peer": "c", "state": [] })" + w)),
            "case.json:9:42: /expect/0/sockets/state: expected at least one TCP state, got an "
            "empty array");
  EXPECT_EQ(error_of(expect(R"({ "sockets": { "peer": "c" })" + w)),
            "case.json:9:18: /expect/0/sockets: missing required key \"state\"");
}

TEST(CaseExpect, Events) {
  const std::string w = R"(, "count": 1, "by_ms": 1 })";
  EXPECT_EQ(error_of(expect(R"({ "events": { "peer": "c", "kind": "reset" })" + w)),
            "case.json:9:40: /expect/0/events/kind: expected one of \"listening\", \"connected\", "
            "\"connect_failed\", \"accepted\", \"sent\", \"received\", \"eof\", \"error\", "
            "\"timeout\", \"closed\", \"bind_failed\", \"exit\", got \"reset\"");
  EXPECT_EQ(error_of(expect(R"({ "events": { "peer": "c", "kind": "error", "errno": "ERESET" })" + w)),
            "case.json:9:58: /expect/0/events/errno: expected a symbolic errno name such as "
            "ECONNRESET, EPIPE, ETIMEDOUT or ECONNREFUSED, got \"ERESET\"");
  EXPECT_EQ(error_of(expect(R"({ "events": { "peer": "c", "kind": "accepted", "errno": "EPIPE" })" + w)),
            "case.json:9:61: /expect/0/events/errno: events of kind \"accepted\" carry no errno; "
            "only error, connect_failed and bind_failed do");
  EXPECT_EQ(error_of(expect(R"({ "events": { "peer": "c", "kind": "closed", "code": 0 })" + w)),
            "case.json:9:58: /expect/0/events/code: events of kind \"closed\" carry no code; only "
            "exit does");
  EXPECT_EQ(error_of(expect(R"({ "events": { "kind": "exit" })" + w)),
            "case.json:9:17: /expect/0/events: missing required key \"peer\"");
}

TEST(CaseExpect, BytesAndPackets) {
  const std::string w = R"(, "count": 1, "by_ms": 1 })";
  EXPECT_EQ(error_of(expect(R"({ "bytes": { "peer": "c", "dir": "in" })" + w)),
            "case.json:9:38: /expect/0/bytes/dir: expected one of \"received\", \"sent\", got "
            "\"in\"");
  EXPECT_EQ(error_of(expect(R"({ "packets": { "from": "c", "to": "y" })" + w)),
            "case.json:9:39: /expect/0/packets/to: no peer named \"y\" (the peers are: c, server)");
  EXPECT_EQ(error_of(expect(R"({ "packets": { "flags": ["fin", "fin"] })" + w)),
            "case.json:9:37: /expect/0/packets/flags/1: flag \"fin\" is listed twice");
  auto spec = spec_of(expect(R"({ "packets": {})" + w));
  EXPECT_EQ(spec.expect[0].selector.kind, Selector::packets);
}

// ---------------------------------------------------------------- the cause first

// A misspelt key is named with the key it was near; the window it was meant to give is not
// reported missing as well.
TEST(CauseFirst, AMisspeltKeyIsNamedWithTheKeyItWasNear) {
  EXPECT_EQ(errors_of(with(kClient, "", R"({ "bytes": { "peer": "c", "dir": "sent" }, "count": 1, "by_msec": 100 })")),
            std::vector<std::string>{
                "case.json:9:60: /expect/0/by_msec: unknown key \"by_msec\": did you mean "
                "\"by_ms\"? (expected one of: sockets, events, bytes, packets, counter, count, by_ms, "
                "from_ms, until_ms)"});
  EXPECT_EQ(errors_of(with(kClient, "", R"({ "bytes": { "peer": "c", "dir": "sent" }, "count": 1, "from_ms": 1, "untill_ms": 5 })")),
            std::vector<std::string>{
                "case.json:9:74: /expect/0/untill_ms: unknown key \"untill_ms\": did you mean "
                "\"until_ms\"? (expected one of: sockets, events, bytes, packets, counter, count, by_ms, "
                "from_ms, until_ms)"});
  // At the top: "abot" is "about", which is then not also missing.
  EXPECT_EQ(errors_of(with(kClient).replace(4, 7, "\"abot\"")),
            std::vector<std::string>{
                "case.json:2:3: /abot: unknown key \"abot\": did you mean \"about\"? (expected "
                "one of: about, sysctl, timeout_ms, sample_ms, seed, peers, timeline, expect, $schema)"});
}

TEST(CauseFirst, AValueInTheWrongCaseIsNamedAsWritten) {
  EXPECT_EQ(error_of(with(kClient, "", R"({ "sockets": { "peer": "server", "state": "close_wait" }, "count": 1, "by_ms": 10 })")),
            "case.json:9:47: /expect/0/sockets/state: expected a TCP state (LISTEN SYN_SENT "
            "SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE), "
            "got \"close_wait\": did you mean \"CLOSE_WAIT\"?");
}

// A peer whose kind is misspelt gets the keys of every kind, not "found none".
TEST(CauseFirst, AMisspeltPeerKind) {
  EXPECT_EQ(errors_of(with(R"("c": { "lisen": {} })")),
            std::vector<std::string>{
                "case.json:5:12: /peers/c/lisen: unknown key \"lisen\": did you mean \"listen\"? "
                "(expected one of: listen, connect, command, proxy, options, steps, on_error, "
                "start_ms)"});
}

TEST(CauseFirst, StepsOptionsToxicsAndNamesOfOneOf) {
  EXPECT_EQ(errors_of(with(R"("c": { "connect": { "to": "server" }, "steps": [ { "sned": "x" } ], "options": { "nodelya": true }, "on_error": "Close" })")),
            (std::vector<std::string>{
                "case.json:5:56: /peers/c/steps/0/sned: unknown step \"sned\": did you mean "
                "\"send\"? (expected one of: send, recv, sleep_ms, wait, shutdown, close, hold, set)",
                "case.json:5:86: /peers/c/options/nodelya: unknown option \"nodelya\": did you "
                "mean \"nodelay\"? (expected one of: linger_s, keepalive, rcvbuf, sndbuf, nodelay, "
                "recv_timeout_ms, fin_wait2_s, user_timeout_ms)",
                "case.json:5:117: /peers/c/on_error: expected one of \"close\", \"hold\", "
                "\"abort\", got \"Close\": did you mean \"close\"?"}));
  EXPECT_EQ(error_of(with(R"("p": { "proxy": { "to": "server", "toxics": [ { "name": "t", "type": "latncy" } ] } })")),
            "case.json:5:74: /peers/p/proxy/toxics/0/type: expected one of \"latency\", "
            "\"bandwidth\", \"slicer\", \"slow_close\", \"timeout\", \"reset_peer\", "
            "\"limit_data\", \"never_close\", got \"latncy\": did you mean \"latency\"?");
  // Nothing near: no guess.
  EXPECT_EQ(error_of(with(kClient, R"({ "at_ms": 1, "kill": "c", "signal": "HUP" })")),
            "case.json:7:53: /timeline/0/signal: expected one of \"TERM\", \"KILL\", got \"HUP\"");
}

// An unknown key comes before what it caused, wherever that is in the file: here the cue the
// timeline meant to give (misspelt beyond a guess) is waited for earlier in the file.
TEST(CauseFirst, UnknownKeysComeBeforeTheirConsequences) {
  EXPECT_EQ(errors_of(with(R"("c": { "connect": { "to": "server" }, "steps": [ { "wait": "go" } ] })",
                           R"({ "at_ms": 1, "queue": "go" })")),
            (std::vector<std::string>{
                "case.json:7:30: /timeline/0/queue: unknown key \"queue\" (expected one of: "
                "at_ms, cue, kill, signal, fault, toxic)",
                "case.json:5:54: /peers/c/steps/0: cue \"go\" is never given: add {\"at_ms\": N, "
                "\"cue\": \"go\"} to the timeline",
                "case.json:7:16: /timeline/0: expected one of \"cue\", \"kill\", \"fault\", "
                "\"toxic\", found none"}));
}

}  // namespace
}  // namespace sockdrill
