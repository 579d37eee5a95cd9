// watch: what changed between two samples, growth per minute, the recording for the HTML page.
#include "harness/field/watch.hpp"

#include <gtest/gtest.h>

#include "tests/field/snapshot_builders.hpp"

namespace sockdrill::field {
namespace {

using testing::group;
using testing::process;
using testing::snapshot;

WatchSample sample_of(std::uint64_t close_waits, std::int64_t t_ms, std::int64_t overflows) {
  Snapshot s = snapshot({process(42, {group(TcpState::CLOSE_WAIT, close_waits, "127.0.0.1:80", "127.0.0.2:*"),
                                      group(TcpState::LISTEN, 1, "127.0.0.1:80", "*:*")})},
                        {group(TcpState::TIME_WAIT, 5, "127.0.0.2:*", "127.0.0.1:80")});
  s.counters["TcpExtListenOverflows"] = overflows;
  return watch_sample(s, t_ms);
}

TEST(Watch, ChangesNameTheHolderTheStateAndTheNewCount) {
  const auto lines = changes(sample_of(300, 0, 4), sample_of(303, 1000, 4));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "+3 CLOSE_WAIT server 42 (303)");
  EXPECT_EQ(changes(sample_of(300, 0, 4), sample_of(300, 1000, 9)), std::vector<std::string>{"+5 TcpExtListenOverflows"});
  EXPECT_TRUE(changes(sample_of(300, 0, 4), sample_of(300, 1000, 4)).empty());
}

TEST(Watch, GrowthIsPerMinuteLargestFirst) {
  Recording r;
  r.samples = {sample_of(300, 0, 0), sample_of(450, 30000, 0)};
  EXPECT_EQ(growth_text(r), "what changed over 30.0 s, 2 samples, largest growth first:\n"
                            "  server 42 CLOSE_WAIT: 300 -> 450 (+300.0/min)\n");
  r.samples = {sample_of(300, 0, 0), sample_of(300, 30000, 0)};
  EXPECT_EQ(growth_text(r), "");
}

TEST(Watch, TheRecordingIsACaseOfSamplesThatJudgesNothing) {
  Recording r;
  r.interval_ms = 1000;
  r.netns = "net:[1]";
  r.host = "h";
  r.mode_reason = "why";
  r.samples = {sample_of(300, 0, 0), sample_of(450, 1000, 0)};
  const reports::RunRecord run = recording_as_run(r);
  ASSERT_EQ(run.cases.size(), 1u);
  const reports::CaseRecord& c = run.cases[0];
  EXPECT_EQ(c.outcome.verdict, reports::Verdict::skip);
  EXPECT_TRUE(c.expectations.empty());
  ASSERT_EQ(c.samples.size(), 2u);
  EXPECT_EQ(c.samples[1].sockets.at("server 42").at("CLOSE_WAIT"), 450);
  EXPECT_EQ(c.samples[1].sockets.at("(no process)").at("TIME_WAIT"), 5);
  const Json j = recording_json(r);
  EXPECT_EQ(j["format"], "sockdrill-watch/1");
  EXPECT_EQ(j["mode"], "sampling");
  EXPECT_EQ(j["samples"][1]["sockets"]["server 42"]["CLOSE_WAIT"], 450);
}

}  // namespace
}  // namespace sockdrill::field
