// The record's JSON: round trips, today's report files, and anything else without a crash.
#include "reports/record_json.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "test_records.hpp"

namespace sockdrill::reports {
namespace {

using test::kFixtures;

Json fixture(const std::string& name) {
  return Json::parse(test::slurp(kFixtures / (name + ".json")));
}

TEST(RecordJson, EveryFieldSurvivesARoundTrip) {
  for (const CaseRecord& c : test::every_verdict().cases) {
    EXPECT_EQ(case_from_json(to_json(c)), c) << to_json(c).dump(2);
    EXPECT_EQ(case_from_json_text(to_json(c).dump()), c);
  }
  const RunRecord run = test::every_verdict();
  EXPECT_EQ(run_from_json(to_json(run)), run);
}

TEST(RecordJson, WritesTheKeysReportsHaveAlwaysHad) {
  const Json j = to_json(test::passed_case());
  for (const char* key :
       {"name", "file", "verdict", "duration_ms", "seed", "kernel", "sysctl", "isolation",
        "sample_ms", "observations", "late_events", "peers", "expectations", "events", "timeline",
        "nftables", "samples", "warnings", "stderr", "dump_repeats_dropped", "dump_skips_found"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["peers"][1]["command"], Json::array({"python3", "-c", "print('hi')"}));
  EXPECT_EQ(j["peers"][1]["bytes"], Json({{"sent", 0}, {"received", 4}}));
  EXPECT_EQ(j["events"][1]["errno"], "ECONNRESET");
  EXPECT_FALSE(j["expectations"][0]["observed"]["events"][0].contains("peer"));
  EXPECT_EQ(j["expectations"][0]["window_from_ms"], 0);
  EXPECT_EQ(j["expectations"][0]["window_to_ms"], 1000);
  EXPECT_EQ(j["expectations"][0]["label"],
            "sockets of peer \"server\" in CLOSE_WAIT: count 1 by 1000 ms");
  const Json failed = to_json(test::failed_case());
  EXPECT_EQ(failed["expectations"][1]["result"], "undecided");
  EXPECT_FALSE(failed["expectations"][1].contains("window_from_ms"));  // none known: none written
  EXPECT_EQ(failed["command_failures"][0]["actual"], 3);
  EXPECT_EQ(failed["pcap"], "captures/app_exit.pcap");  // --pcap
  EXPECT_FALSE(to_json(test::passed_case()).contains("pcap"));  // none made
  const Json errored = to_json(test::errored_case());
  EXPECT_EQ(errored["reason_code"], "timeout");
  EXPECT_FALSE(errored.contains("seed"));
}

// Files written by the runner before this module: read without a warning, and written back
// with the same values under the same keys (the timeline notes have a new shape).
TEST(RecordJson, ReadsTodaysReports) {
  for (const char* name : {"command_exit_code", "past_time_limit", "syn_dropped", "toxic_timeline",
                           "frees_close_wait", "start_order", "bytes_miscounted"}) {
    SCOPED_TRACE(name);
    const Json original = fixture(name);
    const CaseRecord c = case_from_json(original);
    EXPECT_TRUE(c.warnings.empty()) << ::testing::PrintToString(c.warnings);
    const Json again = to_json(c);
    // Compared as unordered JSON: the record keeps counts in maps, sorted by name.
    auto unordered = [](const Json& v) { return nlohmann::json::parse(v.dump()); };
    for (const auto& [key, value] : original.items()) {
      if (key == "timeline") continue;
      EXPECT_EQ(unordered(again[key]), unordered(value)) << key;
    }
    EXPECT_EQ(case_from_json(again), c);
  }
}

TEST(RecordJson, ReadsTodaysFieldsIntoTheirPlaces) {
  const CaseRecord command = case_from_json(fixture("command_exit_code"));
  EXPECT_EQ(command.outcome, (Outcome{Verdict::fail, "", ""}));
  ASSERT_EQ(command.command_failures.size(), 1u);
  EXPECT_EQ(command.command_failures[0].actual, 3);
  ASSERT_EQ(command.peers.size(), 2u);
  EXPECT_TRUE(command.peers[1].command);
  EXPECT_EQ(command.peers[1].stderr_tail, "oops\n");
  EXPECT_EQ(command.peers[1].exit_code, 3);

  const CaseRecord limit = case_from_json(fixture("past_time_limit"));
  EXPECT_EQ(limit.outcome.verdict, Verdict::error);
  EXPECT_EQ(limit.outcome.code, "timeout");  // told from the older wording
  EXPECT_EQ(limit.expectations[0].result, ExpectationRecord::Result::fail);
  ASSERT_TRUE(limit.expectations[0].observed.last_sample);
  EXPECT_EQ(limit.expectations[0].observed.last_sample->sockets.at("ESTABLISHED"), 1);

  const CaseRecord syn = case_from_json(fixture("syn_dropped"));
  ASSERT_EQ(syn.timeline.size(), 3u);
  EXPECT_EQ(syn.timeline[0].kind, "fault");
  EXPECT_EQ(syn.timeline[0].text, R"(drop {"to":"server","flags":["syn"]})");
  EXPECT_EQ(syn.timeline[0].detail,
            Json::parse(R"({"fault": {"drop": {"to": "server", "flags": ["syn"]}}})"));
  EXPECT_EQ(syn.timeline[1].kind, "start");
  EXPECT_EQ(syn.timeline[1].text, "patient starts");
  EXPECT_TRUE(syn.timeline[1].detail.is_null());
  EXPECT_FALSE(syn.nftables.empty());

  const CaseRecord toxic = case_from_json(fixture("toxic_timeline"));
  ASSERT_EQ(toxic.timeline.size(), 3u);
  EXPECT_EQ(toxic.timeline[0].text,
            R"(relay add {"name":"stall","type":"timeout","stream":"upstream","timeout_ms":0})");
  EXPECT_EQ(toxic.timeline[1].kind, "cue");
  EXPECT_EQ(toxic.timeline[1].text, "again");
  EXPECT_EQ(toxic.timeline[2].text, "relay remove stall");

  const CaseRecord kill = case_from_json(fixture("frees_close_wait"));
  EXPECT_EQ(kill.timeline[0].text, "reader KILL");
  EXPECT_EQ(kill.timeline[0].detail, Json::parse(R"({"kill": "reader", "signal": "KILL"})"));

  const CaseRecord later = case_from_json(fixture("start_order"));
  EXPECT_EQ(
      later.timeline[0].text,
      R"(late add {"name":"slow","type":"latency","latency_ms":500} (the proxy starts later, with this change))");
}

TEST(RecordJson, PendingIsTheOlderWordForUndecided) {
  Json j = fixture("bytes_miscounted");
  j["expectations"][0]["result"] = "pending";
  EXPECT_EQ(case_from_json(j).expectations[0].result, ExpectationRecord::Result::undecided);
}

TEST(RecordJson, WrongTypesGetDefaultsAndWarningsNamingWhere) {
  const Json j = Json::parse(R"({
    "name": 5, "verdict": "pass", "duration_ms": "slow", "seed": -5,
    "kernel": "k", "sysctl": {"a": 1, "b": "2"}, "isolation": "i", "sample_ms": 1.5,
    "observations": 3, "peers": "none",
    "expectations": [1, {"index": 0, "expect": {}, "where": "w", "pointer": "/expect/0",
                         "result": "weird", "message": "m",
                         "observed": {"values": [[1], "x", [1, "a"], [2, 7]], "last_sample": 3}}],
    "events": [{"t_ms": 1, "kind": "exit", "code": "zero"}],
    "timeline": [{"t_ms": "x", "cue": "go"}, {"t_ms": 1}],
    "samples": [{"t_ms": 1, "sockets": {"a": {"ESTABLISHED": "two", "LISTEN": 1}}}],
    "warnings": [1, "kept"]})");
  const CaseRecord c = case_from_json(j);
  EXPECT_EQ(c.name, "");
  EXPECT_EQ(c.outcome.verdict, Verdict::pass);  // the verdict itself was readable
  EXPECT_EQ(c.duration_ms, 0);
  EXPECT_FALSE(c.seed);
  EXPECT_EQ(c.sysctl.at("a"), "1");
  EXPECT_EQ(c.sample_ms, 0);
  EXPECT_TRUE(c.peers.empty());
  ASSERT_EQ(c.expectations.size(), 1u);
  EXPECT_EQ(c.expectations[0].result, ExpectationRecord::Result::undecided);
  EXPECT_EQ(c.expectations[0].observed.values,
            (std::vector<std::pair<double, std::int64_t>>{{2, 7}}));
  EXPECT_FALSE(c.events[0].code);
  EXPECT_EQ(c.timeline[0].text, "go");
  EXPECT_EQ(c.samples[0].sockets.at("a"), (StateCounts{{"LISTEN", 1}}));
  auto warned = [&](const std::string& part) {
    for (auto& w : c.warnings)
      if (w.find(part) != std::string::npos) return true;
    return false;
  };
  EXPECT_EQ(c.warnings.front(), "kept");
  for (const char* where :
       {"/name:", "/duration_ms:", "/seed:", "/sample_ms:", "/peers:", "/expectations/0:",
        "/expectations/1/result:", "/observed/values/0:", "/observed/values/2/1:",
        "/observed/last_sample:", "/events/0/code:", "/timeline/0/t_ms:", "/timeline/1:",
        "/samples/0/sockets/a/ESTABLISHED:", "/warnings/0:", "missing"})
    EXPECT_TRUE(warned(where)) << where << " not in " << ::testing::PrintToString(c.warnings);
}

TEST(RecordJson, AnUnreadableVerdictIsAnErrorNeverAPass) {
  for (const char* text : {R"({"verdict": "passed"})", R"({"verdict": true})", R"({})"}) {
    const CaseRecord c = case_from_json(Json::parse(text));
    EXPECT_EQ(c.outcome.verdict, Verdict::error) << text;
    EXPECT_EQ(c.outcome.code, "harness") << text;
    EXPECT_FALSE(c.warnings.empty()) << text;
  }
}

TEST(RecordJson, TextThatIsNoCaseIsAnErrorCase) {
  for (const char* text : {"", "{\"name\": ", "not json", "[1, 2]", "null", "\"a string\""}) {
    const CaseRecord c = case_from_json_text(text);
    EXPECT_EQ(c.outcome.verdict, Verdict::error) << text;
    EXPECT_EQ(c.outcome.code, "harness") << text;
    EXPECT_FALSE(c.outcome.reason.empty()) << text;
  }
  EXPECT_EQ(run_from_json(Json::parse("[]")).cases.at(0).outcome.verdict, Verdict::error);
}

// Every value of a real report replaced by every other type, one at a time: never a throw.
TEST(RecordJson, NoValueOfAnyTypeAnywhereMakesItThrow) {
  const Json original = fixture("past_time_limit");
  const Json flat = original.flatten();
  const Json others[] = {
      nullptr, true, -1, 1.5, "text", Json::array({1}), Json::object({{"k", 1}})};
  std::size_t replaced = 0;
  for (const auto& [pointer, value] : flat.items()) {
    // Each value, and each object or array above it.
    for (Json::json_pointer p(pointer); !p.empty(); p = p.parent_pointer()) {
      for (const Json& other : others) {
        Json changed = original;
        changed[p] = other;
        EXPECT_NO_THROW(case_from_json(changed)) << p.to_string();
        ++replaced;
      }
    }
  }
  EXPECT_GT(replaced, 1000u);
}

}  // namespace
}  // namespace sockdrill::reports
