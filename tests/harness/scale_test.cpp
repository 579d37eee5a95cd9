// End-to-end tests at a size that loads the machine (hundreds of processes, tens of thousands
// of sockets): run one at a time (RUN_SERIAL), so no other test is starved of CPU meanwhile.
#include <gtest/gtest.h>

#include <map>

#include "tests/harness/cli_support.hpp"
#include "tests/harness/run_one.hpp"

namespace {

using namespace sockdrill::cli_test;
using sockdrill::Json;

// 200 idle commands make the time between reads of the kernel long (their processes are
// looked at around each read): a short window that no read fits in is not the server's failure.
TEST(Fidelity, SlowObservationsLeaveAShortWindowUnresolved) {
  Json kase = {{"about", "a listening server and 200 idle commands; a 4 ms window"},
               {"peers", {{"server", {{"listen", Json::object()}}}}},
               {"expect", Json::array({{{"sockets", {{"peer", "server"}, {"state", "LISTEN"}}},
                                        {"count", 1}, {"from_ms", 300}, {"until_ms", 303}}})}};
  for (int i = 0; i < 200; ++i)
    kase["peers"]["idle" + std::to_string(i)] = {{"command", {{"argv", {"sleep", "30"}}}}};
  Ran r = run_written("slow_reads", kase);
  ASSERT_FALSE(r.kase.is_null()) << r.outcome.output;
  EXPECT_NE(r.kase["verdict"], "fail") << r.kase.dump(2);
  if (r.kase["verdict"] == "error") {
    EXPECT_EQ(r.kase["reason_code"], "unresolved");
  }
}

TEST(Fidelity, ThreeHundredClientPeersEachGetAnAddressOfTheirOwn) {
  // 90 s: starting 300 peers takes ~40 s of CPU under the sanitizers (0.13 s each), on 2 cores.
  Json kase = {{"about", "300 client peers connect to one server"},
               {"timeout_ms", 90000},
               {"peers", {{"server", {{"listen", {{"backlog", 512}}}, {"steps", {{{"hold", Json::object()}}}}}}}},
               {"expect", Json::array({{{"sockets", {{"peer", "server"}, {"state", "ESTABLISHED"}}},
                                        {"count", 300}, {"by_ms", 20000}},
                                       {{"sockets", {{"peer", "c299"}, {"state", "ESTABLISHED"}}},
                                        {"count", 1}, {"by_ms", 20000}}})}};
  for (int i = 0; i < 300; ++i)
    kase["peers"]["c" + std::to_string(i)] = {{"connect", {{"to", "server"}}}, {"steps", {{{"hold", Json::object()}}}}};
  Ran r = run_written("many_peers", kase);
  EXPECT_EQ(r.kase["verdict"], "pass") << r.outcome.output;
}

TEST(Fidelity, EighteenThousandConnectionsInOnePeerAllConnect) {
  Json kase = Json::parse(R"({
    "about": "18,000 connections from one client peer, held",
    "timeout_ms": 60000,
    "peers": {
      "server": { "listen": { "backlog": 4096 }, "steps": [ { "hold": {} } ] },
      "client": { "connect": { "to": "server", "count": 18000, "timeout_ms": 10000 }, "steps": [ { "hold": {} } ] }
    },
    "expect": [
      { "events": { "peer": "client", "kind": "connected" }, "count": 18000, "by_ms": 20000 },
      { "sockets": { "peer": "server", "state": "ESTABLISHED" }, "count": 18000, "by_ms": 20000 },
      { "events": { "peer": "client", "kind": "connect_failed" }, "count": 0, "from_ms": 0, "until_ms": 1000 }
    ]
  })");
  Ran r = run_written("eighteen_thousand", kase);
  EXPECT_EQ(r.kase["verdict"], "pass") << r.outcome.output;

  // 36,000 events and more: the report lists 10,000 of them and counts every one.
  EXPECT_EQ(r.report["events"].size(), 10000u);
  const std::int64_t omitted = r.report.value("events_omitted", std::int64_t{0});
  EXPECT_GE(omitted, 26000);
  std::map<std::string, std::int64_t> counted;
  std::int64_t total = 0;
  for (const Json& c : r.report["event_counts"]) {
    counted[c["peer"].get<std::string>() + " " + c["kind"].get<std::string>()] += c["count"].get<std::int64_t>();
    total += c["count"].get<std::int64_t>();
  }
  EXPECT_EQ(counted["client connected"], 18000) << r.report["event_counts"].dump(2);
  EXPECT_EQ(counted["server accepted"], 18000) << r.report["event_counts"].dump(2);
  EXPECT_EQ(total, 10000 + omitted);
}

}  // namespace
