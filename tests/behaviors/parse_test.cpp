// Parsing every step and option into types: accepted forms written back as they were, and
// refusals with pointer and message (ranges included).
#include <gtest/gtest.h>

#include "behaviors/option.hpp"
#include "behaviors/script.hpp"
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"
#include "tests/behaviors/test_support.hpp"

namespace sockdrill::behaviors {
namespace {

std::string all(const Diagnostics& d) {
  return testing::listed(d);
}

Diagnostics steps(const char* text) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  auto list = parse_steps(Json::parse(text), "/peers/p/steps", ctx);
  EXPECT_EQ(list.has_value(), d.ok()) << "a result exactly when there is no diagnostic";
  return d;
}

Diagnostics options(const char* text) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  auto set = OptionSet::parse(Json::parse(text), "/peers/p/options", ctx);
  EXPECT_EQ(set.has_value(), d.ok()) << "a result exactly when there is no diagnostic";
  return d;
}

// One refusal: exactly one diagnostic at `pointer` whose message contains `words`.
void expect_refused(const Diagnostics& d, const std::string& pointer, const std::string& words) {
  ASSERT_EQ(d.items().size(), 1u) << all(d);
  EXPECT_EQ(d.items()[0].pointer, pointer) << all(d);
  EXPECT_NE(d.items()[0].message.find(words), std::string::npos)
      << "expected the message to contain \"" << words << "\", got: " << all(d);
}

// Parses `steps`, writes every step back, and parses that again: both writings equal the input.
void expect_steps_round_trip(const char* text) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  const Json input = Json::parse(text);
  auto first = parse_steps(input, "/s", ctx);
  ASSERT_TRUE(first) << all(d);
  Json written = Json::array();
  for (auto& step : *first) written.push_back(step->to_json());
  EXPECT_EQ(written, input);
  auto second = parse_steps(written, "/s", ctx);
  ASSERT_TRUE(second) << all(d);
  ASSERT_EQ(second->size(), first->size());
  for (std::size_t i = 0; i < first->size(); ++i)
    EXPECT_EQ((*second)[i]->to_json(), (*first)[i]->to_json());
}

void expect_options_round_trip(const char* text) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  const Json input = Json::parse(text);
  auto first = OptionSet::parse(input, "/o", ctx);
  ASSERT_TRUE(first) << all(d);
  EXPECT_EQ(first->to_json(), input);
  auto second = OptionSet::parse(first->to_json(), "/o", ctx);
  ASSERT_TRUE(second) << all(d);
  EXPECT_EQ(second->to_json(), first->to_json());
}

TEST(ParseSteps, EveryFormOfTheFormatRoundTrips) {
  expect_steps_round_trip(R"([
    {"send": "hello\n"}, {"send": {"bytes": 100}}, {"send": {"bytes": 2147483647}},
    {"recv": {"bytes": 10}}, {"recv": {"until": "eof", "timeout_ms": 500}},
    {"recv": {"bytes": 0, "timeout_ms": 1}},
    {"sleep_ms": 100}, {"sleep_ms": 0}, {"wait": "go"},
    {"shutdown": "write"}, {"shutdown": "read"}, {"shutdown": "both"},
    {"close": {}}, {"close": {"linger_s": 0}}, {"hold": {}},
    {"set": {"nodelay": true, "linger_s": 1}}, {"set": {}}])");
  expect_steps_round_trip("[]");
}

TEST(ParseSteps, StepsMustBeAnArrayOfOneKeyObjects) {
  expect_refused(steps(R"({"send": "x"})"), "/peers/p/steps", "expected an array");
  expect_refused(steps(R"(["send"])"), "/peers/p/steps/0", "expected an object");
  expect_refused(steps(R"([{}])"), "/peers/p/steps/0", "exactly one key");
  expect_refused(steps(R"([{"send": "x", "sleep_ms": 1}])"), "/peers/p/steps/0",
                 "got \"send\", \"sleep_ms\"");
  expect_refused(steps(R"([{"sned": "x"}])"), "/peers/p/steps/0/sned", "unknown step \"sned\"");
  // One bad step refuses the list, and every bad step is reported.
  auto d = steps(R"([{"send": "x"}, {"sleep_ms": -1}, {"wait": ""}])");
  ASSERT_EQ(d.items().size(), 2u) << all(d);
  EXPECT_EQ(d.items()[0].pointer, "/peers/p/steps/1/sleep_ms");
  EXPECT_EQ(d.items()[1].pointer, "/peers/p/steps/2/wait");
}

TEST(ParseSteps, Send) {
  expect_refused(steps(R"([{"send": 5}])"), "/peers/p/steps/0/send", "expected a string to send");
  expect_refused(steps(R"([{"send": {"bytes": -1}}])"), "/peers/p/steps/0/send/bytes",
                 "at least 0");
  expect_refused(steps(R"([{"send": {"bytes": 2147483648}}])"), "/peers/p/steps/0/send/bytes",
                 "expected an integer at most 2147483647, got 2147483648");
  expect_refused(steps(R"([{"send": {}}])"), "/peers/p/steps/0/send",
                 "missing required key \"bytes\"");
  expect_refused(steps(R"([{"send": {"bytes": 1, "text": "x"}}])"), "/peers/p/steps/0/send/text",
                 "unknown key");
}

TEST(ParseSteps, Recv) {
  expect_refused(steps(R"([{"recv": {}}])"), "/peers/p/steps/0/recv", "found none");
  expect_refused(steps(R"([{"recv": {"bytes": 1, "until": "eof"}}])"), "/peers/p/steps/0/recv",
                 "only one of");
  expect_refused(steps(R"([{"recv": {"until": "end"}}])"), "/peers/p/steps/0/recv/until",
                 "expected \"eof\"");
  expect_refused(steps(R"([{"recv": {"bytes": 1, "timeout_ms": 0}}])"),
                 "/peers/p/steps/0/recv/timeout_ms", "at least 1");
  expect_refused(steps(R"([{"recv": {"bytes": 1, "timeout_ms": 5e9}}])"),
                 "/peers/p/steps/0/recv/timeout_ms",
                 "expected an integer at most 2147483647, got 5000000000.0");
  expect_refused(steps(R"([{"recv": {"bytes": 1.5}}])"), "/peers/p/steps/0/recv/bytes",
                 "expected an integer");
}

TEST(ParseSteps, Sleep) {
  expect_refused(steps(R"([{"sleep_ms": "100"}])"), "/peers/p/steps/0/sleep_ms",
                 "expected an integer");
  expect_refused(steps(R"([{"sleep_ms": -5}])"), "/peers/p/steps/0/sleep_ms", "at least 0");
  expect_refused(steps(R"([{"sleep_ms": 5000000000}])"), "/peers/p/steps/0/sleep_ms",
                 "expected an integer at most 2147483647, got 5000000000");
}

TEST(ParseSteps, WaitRecordsEveryCueWithTheStepPointer) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  parse_steps(Json::parse(R"([{"sleep_ms": 1}, {"wait": "go"}, {"wait": "later"}])"),
              "/peers/c/steps", ctx);
  EXPECT_TRUE(d.ok()) << all(d);
  ASSERT_EQ(ctx.cues_waited.size(), 2u);
  EXPECT_EQ(ctx.cues_waited[0], (std::pair<std::string, std::string>{"go", "/peers/c/steps/1"}));
  EXPECT_EQ(ctx.cues_waited[1], (std::pair<std::string, std::string>{"later", "/peers/c/steps/2"}));
  expect_refused(steps(R"([{"wait": ""}])"), "/peers/p/steps/0/wait", "name of a cue");
  expect_refused(steps(R"([{"wait": 3}])"), "/peers/p/steps/0/wait", "expected a string");
}

TEST(ParseSteps, Shutdown) {
  expect_refused(steps(R"([{"shutdown": "half"}])"), "/peers/p/steps/0/shutdown",
                 "expected \"write\", \"read\" or \"both\", got \"half\"");
}

TEST(ParseSteps, Close) {
  expect_refused(steps(R"([{"close": {"linger_s": -1}}])"), "/peers/p/steps/0/close/linger_s",
                 "at least 0");
  expect_refused(steps(R"([{"close": {"linger_s": 99999999999}}])"),
                 "/peers/p/steps/0/close/linger_s", "at most 2147483647");
  expect_refused(steps(R"([{"close": {"linger": 0}}])"), "/peers/p/steps/0/close/linger",
                 "unknown key");
  expect_refused(steps(R"([{"close": true}])"), "/peers/p/steps/0/close", "expected an object");
}

TEST(ParseSteps, Hold) {
  expect_refused(steps(R"([{"hold": {"ms": 5}}])"), "/peers/p/steps/0/hold/ms", "unknown key");
  expect_refused(steps(R"([{"hold": 5}])"), "/peers/p/steps/0/hold", "expected an object");
}

TEST(ParseSteps, SetUsesTheOptionTable) {
  expect_refused(steps(R"([{"set": {"nodelay": 1}}])"), "/peers/p/steps/0/set/nodelay",
                 "expected true or false");
  expect_refused(steps(R"([{"set": {"tcp_nodelay": true}}])"), "/peers/p/steps/0/set/tcp_nodelay",
                 "unknown option");
}

TEST(ParseOptions, EveryOptionOfTheFormatRoundTripsInTheOrderWritten) {
  expect_options_round_trip(
      R"({"linger_s": 0, "keepalive": {"idle_s": 1, "interval_s": 2, "count": 3},
                       "rcvbuf": 4096, "sndbuf": 8192, "nodelay": false, "recv_timeout_ms": 250,
                       "fin_wait2_s": 5, "user_timeout_ms": 1000})");
  expect_options_round_trip(R"({"user_timeout_ms": 2147483647, "nodelay": true, "linger_s": 7})");
  expect_options_round_trip(R"({"keepalive": {}})");
  expect_options_round_trip(R"({"keepalive": {"idle_s": 32767, "count": 127}})");
  expect_options_round_trip("{}");
}

TEST(ParseOptions, Refusals) {
  expect_refused(options("[]"), "/peers/p/options", "expected an object");
  expect_refused(options(R"({"linger": 1})"), "/peers/p/options/linger",
                 "unknown option \"linger\": did you mean \"linger_s\"? (expected one of: "
                 "linger_s, keepalive");
  expect_refused(options(R"({"linger_s": true})"), "/peers/p/options/linger_s",
                 "expected an integer");
  expect_refused(options(R"({"keepalive": true})"), "/peers/p/options/keepalive",
                 "expected an object");
  expect_refused(options(R"({"keepalive": {"idle_s": 0}})"), "/peers/p/options/keepalive/idle_s",
                 "from 1 to 32767");
  expect_refused(options(R"({"keepalive": {"interval_s": 32768}})"),
                 "/peers/p/options/keepalive/interval_s", "from 1 to 32767, got 32768");
  expect_refused(options(R"({"keepalive": {"count": 128}})"), "/peers/p/options/keepalive/count",
                 "from 1 to 127");
  expect_refused(options(R"({"keepalive": {"idle": 5}})"), "/peers/p/options/keepalive/idle",
                 "unknown key");
  expect_refused(options(R"({"rcvbuf": -1})"), "/peers/p/options/rcvbuf", "at least 0");
  expect_refused(options(R"({"rcvbuf": 3000000000})"), "/peers/p/options/rcvbuf",
                 "expected an integer at most 2147483647, got 3000000000");
  expect_refused(options(R"({"sndbuf": "64k"})"), "/peers/p/options/sndbuf", "expected an integer");
  expect_refused(options(R"({"nodelay": "yes"})"), "/peers/p/options/nodelay",
                 "expected true or false");
  expect_refused(options(R"({"recv_timeout_ms": 1.5})"), "/peers/p/options/recv_timeout_ms",
                 "expected an integer");
  expect_refused(options(R"({"fin_wait2_s": -2})"), "/peers/p/options/fin_wait2_s", "at least 0");
  expect_refused(options(R"({"user_timeout_ms": null})"), "/peers/p/options/user_timeout_ms",
                 "expected an integer");
  expect_refused(options(R"({"user_timeout_ms": 18446744073709551615})"),
                 "/peers/p/options/user_timeout_ms", "at most 2147483647");
}

TEST(ParseScript, ReadsItsThreeKeysAndWritesThemBack) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  const Json peer = Json::parse(R"({"connect": {"to": "s"}, "options": {"nodelay": true},
      "steps": [{"wait": "go"}, {"send": "x"}], "on_error": "hold"})");
  auto script = Script::parse(peer, "/peers/c", ctx);
  ASSERT_TRUE(script) << all(d);
  EXPECT_EQ(script->on_error, OnError::hold);
  EXPECT_EQ(script->steps.size(), 2u);
  EXPECT_EQ(ctx.cues_waited.at(0).second, "/peers/c/steps/0");
  Json written = {{"connect", {{"to", "s"}}}};
  script->to_json(written);
  EXPECT_EQ(written, peer);

  auto empty = Script::parse(Json::parse(R"({"listen": {}})"), "/peers/s", ctx);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->on_error, OnError::close);
  Json bare = Json::object();
  empty->to_json(bare);
  EXPECT_EQ(bare, Json::parse(R"({"on_error": "close"})"))
      << "on_error always, so the peer gets it";
}

TEST(ParseScript, RefusesWhateverOfItsKeysIsWrong) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  auto script = Script::parse(
      Json::parse(R"({"options": {"rcvbuf": -1}, "steps": [{"hold": {}}], "on_error": "retry"})"),
      "/peers/c", ctx);
  EXPECT_FALSE(script);
  ASSERT_EQ(d.items().size(), 2u) << all(d);
  EXPECT_EQ(d.items()[0].pointer, "/peers/c/options/rcvbuf");
  EXPECT_EQ(d.items()[1].pointer, "/peers/c/on_error");
  EXPECT_EQ(d.items()[1].message, "expected one of \"close\", \"hold\", \"abort\", got \"retry\"");
}

TEST(JsonChecks, IntegerRangesNameTheBoundThatWasCrossed) {
  auto message = [](const char* text, std::int64_t min, std::int64_t max = checks::kMaxInt) {
    Diagnostics d;
    EXPECT_FALSE(checks::is_int(Json::parse(text), "/x", d, min, max));
    return d.items().empty() ? std::string() : d.items()[0].message;
  };
  EXPECT_EQ(message("5000000000", 0), "expected an integer at most 2147483647, got 5000000000");
  EXPECT_EQ(message("-1", 0), "expected an integer at least 0, got -1");
  EXPECT_EQ(message("0", 1, 127), "expected an integer from 1 to 127, got 0");
  EXPECT_EQ(message("18446744073709551615", 0),
            "expected an integer at most 2147483647, got 18446744073709551615");
  EXPECT_EQ(message("5e20", 0), "expected an integer at most 2147483647, got 5e+20");
  EXPECT_EQ(message("-5e20", 0), "expected an integer at least 0, got -5e+20");
  EXPECT_EQ(message("5.0", 0), "expected an integer, got 5.0 (write it without a fraction)");
  EXPECT_EQ(message("5.5", 0), "expected an integer, got the number 5.5");
  Diagnostics d;
  EXPECT_TRUE(checks::is_int(Json(2147483647), "/x", d));
  // A double a program made that JSON cannot write is still described, not thrown on.
  EXPECT_FALSE(checks::is_int(Json(std::numeric_limits<double>::infinity()), "/x", d));
  EXPECT_EQ(d.items().at(0).message, "expected an integer, got a number out of range");
}

TEST(Tables, EveryKeyOfTheFormatIsListedOnce) {
  std::vector<std::string> step_keys, option_keys;
  for (auto& k : step_table()) step_keys.emplace_back(k.key);
  for (auto& k : option_table()) option_keys.emplace_back(k.key);
  EXPECT_EQ(step_keys, (std::vector<std::string>{"send", "recv", "sleep_ms", "wait", "shutdown",
                                                 "close", "hold", "set"}));
  EXPECT_EQ(option_keys,
            (std::vector<std::string>{"linger_s", "keepalive", "rcvbuf", "sndbuf", "nodelay",
                                      "recv_timeout_ms", "fin_wait2_s", "user_timeout_ms"}));
}

}  // namespace
}  // namespace sockdrill::behaviors
