// The Chrome trace writer: against its approved output, its spans, and its bound on connections.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "reports/writers.hpp"
#include "test_records.hpp"

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

// The records of every verdict and three runner reports: faults, toxics, a command.
RunRecord traced_run() {
  RunRecord run = test::every_verdict();
  for (const char* name : {"frees_close_wait", "toxic_timeline", "command_exit_code"})
    run.cases.push_back(
        case_from_json(Json::parse(test::slurp(test::kFixtures / (std::string(name) + ".json")))));
  return run;
}

std::vector<Json> events_where(const Json& trace, const std::function<bool(const Json&)>& keep) {
  std::vector<Json> found;
  for (const Json& e : trace["traceEvents"])
    if (keep(e)) found.push_back(e);
  return found;
}

// SOCKDRILL_APPROVE=1 writes the expected file anew from the writer (then review its diff).
TEST(Trace, MatchesTheApprovedTrace) {
  const fs::path file =
      fs::temp_directory_path() / ("sockdrill-trace-" + std::to_string(::getpid()) + ".json");
  write_trace_file(traced_run(), file);
  if (std::getenv("SOCKDRILL_APPROVE"))
    fs::copy_file(file, test::kExpected / "trace.json", fs::copy_options::overwrite_existing);
  EXPECT_EQ(Json::parse(test::slurp(file)),
            Json::parse(test::slurp(test::kExpected / "trace.json")));
  fs::remove(file);
}

TEST(Trace, AConnectionIsASpanWithItsStatesNestedInOrder) {
  const Json trace = trace_json({{test::passed_case()}});
  std::vector<std::string> seen;
  for (const Json& e :
       events_where(trace, [](const Json& e) { return e.value("id", "") == "0x1003"; }))
    seen.push_back(e["ph"].get<std::string>() + " " + e["name"].get<std::string>() + " " +
                   std::to_string(e["ts"].get<double>()));
  const std::string span = "127.77.0.2:51000 -> 127.0.0.1:40000";
  EXPECT_EQ(seen,
            (std::vector<std::string>{"b " + span + " 12500.000000", "b ESTABLISHED 12500.000000",
                                      "e ESTABLISHED 30250.000000", "b FIN_WAIT2 30250.000000",
                                      "e FIN_WAIT2 60000.000000", "e " + span + " 60000.000000"}));
  // A connection still there at the end lasts until the case ended.
  const auto open = events_where(
      trace, [](const Json& e) { return e.value("id", "") == "0x1002" && e["ph"] == "e"; });
  ASSERT_FALSE(open.empty());
  EXPECT_EQ(open.back()["ts"], 1234000.0);
}

TEST(Trace, PeersAreProcessesAndEachExpectationHasItsOwnTrack) {
  const Json trace = trace_json({{test::passed_case(), test::failed_case()}});
  std::set<std::string> processes, threads;
  for (const Json& e : trace["traceEvents"]) {
    if (e["name"] == "process_name") processes.insert(e["args"]["name"]);
    if (e["name"] == "thread_name") threads.insert(e["args"]["name"]);
  }
  EXPECT_EQ(processes, (std::set<std::string>{
                           "case close_wait/forgotten: pass", "server [close_wait/forgotten]",
                           "app [close_wait/forgotten]", "(unattributed) [close_wait/forgotten]",
                           "case app_exit: fail", "app [app_exit]"}));  // its wrong exit status
  EXPECT_TRUE(threads.count("expect #0 pass"));
  EXPECT_TRUE(threads.count("expect #0 fail"));
  EXPECT_TRUE(threads.count("expect #1 undecided"));
  const auto window = events_where(trace, [](const Json& e) { return e["ph"] == "X"; });
  ASSERT_EQ(window.size(), 3u);
  EXPECT_EQ(window[0]["dur"], 1000000.0);  // [window_from_ms, window_to_ms]
}

CaseRecord with_connections(std::size_t kept, std::int64_t omitted) {
  CaseRecord c = test::passed_case();
  c.sockets.clear();
  for (std::size_t i = 0; i < kept; ++i)
    c.sockets.push_back({i + 1,
                         "server",
                         "127.0.0.1:40000",
                         "127.0.0.2:" + std::to_string(i),
                         {{1, "ESTABLISHED"}, {2, "CLOSE_WAIT"}},
                         3.0});
  c.sockets_omitted = omitted;
  return c;
}

TEST(Trace, PastTheBoundOnlyTheCountersAreWrittenAndTheTraceSaysSo) {
  auto spans = [](const Json& trace) {
    return events_where(trace, [](const Json& e) { return e["ph"] == "b"; }).size();
  };
  auto counters = [](const Json& trace) {
    return events_where(trace, [](const Json& e) { return e["ph"] == "C"; }).size();
  };
  const Json within = trace_json({{with_connections(kSocketHistoriesKept, 0)}});
  EXPECT_EQ(spans(within), kSocketHistoriesKept * 3);  // the connection and its two states
  EXPECT_EQ(within["metadata"]["cases"][0]["connection_spans"], "one per connection");

  const Json past = trace_json({{with_connections(kSocketHistoriesKept, 1)}});
  EXPECT_EQ(spans(past), 0u);
  EXPECT_EQ(counters(past), counters(within));
  EXPECT_EQ(past["metadata"]["cases"][0]["connections"], kSocketHistoriesKept + 1);
  EXPECT_EQ(past["metadata"]["cases"][0]["connection_spans"],
            "none: counts only, more than 4000 connections");
  const auto note = events_where(
      past, [](const Json& e) { return e["name"] == "connections shown as counts only"; });
  ASSERT_EQ(note.size(), 1u);
  EXPECT_EQ(note[0]["args"]["connections"], 4001);
}

TEST(Trace, AStateCountThatWentAwayDropsToZero) {
  const Json trace = trace_json({{test::passed_case()}});
  const auto server = events_where(trace, [](const Json& e) {
    return e["ph"] == "C" && e["name"] == "sockets" && e["pid"] == 1001;
  });
  ASSERT_EQ(server.size(), 2u);
  EXPECT_EQ(server[0]["args"], Json({{"CLOSE_WAIT", 0}, {"LISTEN", 1}}));
  EXPECT_EQ(server[1]["args"], Json({{"CLOSE_WAIT", 1}, {"LISTEN", 1}}));
}

}  // namespace
}  // namespace sockdrill::reports
