// Validation of every step and option: accepted forms, and refusals with pointer and message.
#include "behaviors/validate.hpp"

#include <gtest/gtest.h>

#include "behaviors/option.hpp"
#include "behaviors/step.hpp"

namespace sockdrill::behaviors {
namespace {

std::string all(const Diagnostics& d) {
  std::string s;
  for (auto& i : d.items()) s += i.pointer + ": " + i.message + "\n";
  return s;
}

Diagnostics steps(const char* text) {
  Diagnostics d;
  ValidationContext ctx{d, {}};
  validate_steps(Json::parse(text), "/peers/p/steps", ctx);
  return d;
}

Diagnostics options(const char* text) {
  Diagnostics d;
  ValidationContext ctx{d, {}};
  validate_options(Json::parse(text), "/peers/p/options", ctx);
  return d;
}

// One refusal: exactly one diagnostic at `pointer` whose message contains `words`.
void expect_refused(const Diagnostics& d, const std::string& pointer, const std::string& words) {
  ASSERT_EQ(d.items().size(), 1u) << all(d);
  EXPECT_EQ(d.items()[0].pointer, pointer) << all(d);
  EXPECT_NE(d.items()[0].message.find(words), std::string::npos)
      << "expected the message to contain \"" << words << "\", got: " << all(d);
}

TEST(ValidateSteps, AcceptsEveryFormOfTheFormat) {
  auto d = steps(R"([
    {"send": "hello\n"}, {"send": {"bytes": 100}},
    {"recv": {"bytes": 10}}, {"recv": {"until": "eof", "timeout_ms": 500}},
    {"sleep_ms": 100}, {"wait": "go"},
    {"shutdown": "write"}, {"shutdown": "read"}, {"shutdown": "both"},
    {"close": {}}, {"close": {"linger_s": 0}}, {"hold": {}},
    {"set": {"nodelay": true, "linger_s": 1}}])");
  EXPECT_TRUE(d.ok()) << all(d);
}

TEST(ValidateSteps, StepsMustBeAnArrayOfOneKeyObjects) {
  expect_refused(steps(R"({"send": "x"})"), "/peers/p/steps", "expected an array");
  expect_refused(steps(R"(["send"])"), "/peers/p/steps/0", "expected an object");
  expect_refused(steps(R"([{}])"), "/peers/p/steps/0", "exactly one key");
  expect_refused(steps(R"([{"send": "x", "sleep_ms": 1}])"), "/peers/p/steps/0",
                 "got \"send\", \"sleep_ms\"");
  expect_refused(steps(R"([{"sned": "x"}])"), "/peers/p/steps/0/sned", "unknown step \"sned\"");
}

TEST(ValidateSteps, Send) {
  expect_refused(steps(R"([{"send": 5}])"), "/peers/p/steps/0/send", "expected a string to send");
  expect_refused(steps(R"([{"send": {"bytes": -1}}])"), "/peers/p/steps/0/send/bytes",
                 "at least 0");
  expect_refused(steps(R"([{"send": {}}])"), "/peers/p/steps/0/send",
                 "missing required key \"bytes\"");
  expect_refused(steps(R"([{"send": {"bytes": 1, "text": "x"}}])"), "/peers/p/steps/0/send/text",
                 "unknown key");
}

TEST(ValidateSteps, Recv) {
  expect_refused(steps(R"([{"recv": {}}])"), "/peers/p/steps/0/recv", "found none");
  expect_refused(steps(R"([{"recv": {"bytes": 1, "until": "eof"}}])"), "/peers/p/steps/0/recv",
                 "only one of");
  expect_refused(steps(R"([{"recv": {"until": "end"}}])"), "/peers/p/steps/0/recv/until",
                 "expected \"eof\"");
  expect_refused(steps(R"([{"recv": {"bytes": 1, "timeout_ms": 0}}])"),
                 "/peers/p/steps/0/recv/timeout_ms", "at least 1");
  expect_refused(steps(R"([{"recv": {"bytes": 1.5}}])"), "/peers/p/steps/0/recv/bytes",
                 "expected an integer");
}

TEST(ValidateSteps, Sleep) {
  expect_refused(steps(R"([{"sleep_ms": "100"}])"), "/peers/p/steps/0/sleep_ms",
                 "expected an integer");
  expect_refused(steps(R"([{"sleep_ms": -5}])"), "/peers/p/steps/0/sleep_ms", "at least 0");
}

TEST(ValidateSteps, WaitRecordsEveryCueWithTheStepPointer) {
  Diagnostics d;
  ValidationContext ctx{d, {}};
  validate_steps(Json::parse(R"([{"sleep_ms": 1}, {"wait": "go"}, {"wait": "later"}])"),
                 "/peers/c/steps", ctx);
  EXPECT_TRUE(d.ok()) << all(d);
  ASSERT_EQ(ctx.cues_waited.size(), 2u);
  EXPECT_EQ(ctx.cues_waited[0], (std::pair<std::string, std::string>{"go", "/peers/c/steps/1"}));
  EXPECT_EQ(ctx.cues_waited[1], (std::pair<std::string, std::string>{"later", "/peers/c/steps/2"}));
  expect_refused(steps(R"([{"wait": ""}])"), "/peers/p/steps/0/wait", "name of a cue");
  expect_refused(steps(R"([{"wait": 3}])"), "/peers/p/steps/0/wait", "expected a string");
}

TEST(ValidateSteps, Shutdown) {
  expect_refused(steps(R"([{"shutdown": "half"}])"), "/peers/p/steps/0/shutdown",
                 "expected \"write\", \"read\" or \"both\", got \"half\"");
}

TEST(ValidateSteps, Close) {
  expect_refused(steps(R"([{"close": {"linger_s": -1}}])"), "/peers/p/steps/0/close/linger_s",
                 "at least 0");
  expect_refused(steps(R"([{"close": {"linger": 0}}])"), "/peers/p/steps/0/close/linger",
                 "unknown key");
  expect_refused(steps(R"([{"close": true}])"), "/peers/p/steps/0/close", "expected an object");
}

TEST(ValidateSteps, Hold) {
  expect_refused(steps(R"([{"hold": {"ms": 5}}])"), "/peers/p/steps/0/hold/ms", "unknown key");
  expect_refused(steps(R"([{"hold": 5}])"), "/peers/p/steps/0/hold", "expected an object");
}

TEST(ValidateSteps, SetUsesTheOptionTable) {
  expect_refused(steps(R"([{"set": {"nodelay": 1}}])"), "/peers/p/steps/0/set/nodelay",
                 "expected true or false");
  expect_refused(steps(R"([{"set": {"tcp_nodelay": true}}])"), "/peers/p/steps/0/set/tcp_nodelay",
                 "unknown option");
}

TEST(ValidateOptions, AcceptsEveryOptionOfTheFormat) {
  auto d = options(R"({"linger_s": 0, "keepalive": {"idle_s": 1, "interval_s": 2, "count": 3},
                       "rcvbuf": 4096, "sndbuf": 8192, "nodelay": false, "recv_timeout_ms": 250,
                       "fin_wait2_s": 5, "user_timeout_ms": 1000})");
  EXPECT_TRUE(d.ok()) << all(d);
  EXPECT_TRUE(options(R"({"keepalive": {}})").ok());
}

TEST(ValidateOptions, Refusals) {
  expect_refused(options("[]"), "/peers/p/options", "expected an object");
  expect_refused(options(R"({"linger": 1})"), "/peers/p/options/linger",
                 "unknown option \"linger\" (expected one of: linger_s, keepalive");
  expect_refused(options(R"({"linger_s": true})"), "/peers/p/options/linger_s",
                 "expected an integer");
  expect_refused(options(R"({"keepalive": true})"), "/peers/p/options/keepalive",
                 "expected an object");
  expect_refused(options(R"({"keepalive": {"idle_s": 0}})"), "/peers/p/options/keepalive/idle_s",
                 "from 1 to 32767");
  expect_refused(options(R"({"keepalive": {"count": 128}})"), "/peers/p/options/keepalive/count",
                 "from 1 to 127");
  expect_refused(options(R"({"keepalive": {"idle": 5}})"), "/peers/p/options/keepalive/idle",
                 "unknown key");
  expect_refused(options(R"({"rcvbuf": -1})"), "/peers/p/options/rcvbuf", "at least 0");
  expect_refused(options(R"({"sndbuf": "64k"})"), "/peers/p/options/sndbuf", "expected an integer");
  expect_refused(options(R"({"nodelay": "yes"})"), "/peers/p/options/nodelay",
                 "expected true or false");
  expect_refused(options(R"({"recv_timeout_ms": 1.5})"), "/peers/p/options/recv_timeout_ms",
                 "expected an integer");
  expect_refused(options(R"({"fin_wait2_s": -2})"), "/peers/p/options/fin_wait2_s", "at least 0");
  expect_refused(options(R"({"user_timeout_ms": null})"), "/peers/p/options/user_timeout_ms",
                 "expected an integer");
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
