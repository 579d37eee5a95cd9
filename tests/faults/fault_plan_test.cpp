// FaultPlan: what goes in when, and fault draws that do not depend on when they went in.
#include "harness/faults/fault_plan.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <map>

#include "tests/faults/fresh_netns.hpp"
#include "tests/faults/match_json.hpp"

namespace sockdrill {
namespace {

using faults_testing::require;
using faults_testing::run_in_fresh_netns;

// Two drops with probability 0.5: the first names a late listener, the second does not.
CaseSpec two_faults() {
  CaseSpec spec;
  spec.peers.resize(2);
  spec.peers[0].name = "late";
  spec.peers[1].name = "client";
  for (int i = 0; i < 2; ++i) {
    TimelineEntry e;
    e.kind = TimelineEntry::Kind::fault;
    e.fault = fault_of("drop", i == 0 ? R"({"to": "late", "probability": 0.5})"
                                      : R"({"from": "client", "probability": 0.5})");
    e.fault_number = i;
    spec.timeline.push_back(e);
  }
  return spec;
}

WireView wire(bool late_there) {
  WireView w;
  w.identities["client"] = {"127.77.0.2", "", -1, "", "", {}, {}};
  if (late_there) w.identities["late"] = {"127.0.0.1", "", 4000, "", "", {}, {}};
  else w.not_there_yet.insert("late");
  return w;
}

// Each fault set's positions ("f0" -> "3, 7, ..."), whatever order the ruleset lists them in.
// Scanned by hand: std::regex recurses per character and overflows the stack on a large ruleset.
std::map<std::string, std::string> sets_of(const std::string& ruleset) {
  std::map<std::string, std::string> out;
  for (std::size_t at = ruleset.find("set f"); at != std::string::npos; at = ruleset.find("set f", at + 1)) {
    const std::size_t name_end = ruleset.find(' ', at + 4);
    const std::size_t block_end = ruleset.find('}', at);
    const std::size_t elements = ruleset.find("elements = {", at);
    if (name_end == std::string::npos || elements == std::string::npos || elements > block_end) continue;
    const std::size_t open = elements + std::string("elements = {").size();
    const std::size_t close = ruleset.find('}', open);
    std::string positions;
    bool space = false;
    for (char c : ruleset.substr(open, close - open)) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        space = true;
        continue;
      }
      if (space && !positions.empty()) positions += ' ';
      space = false;
      positions += c;
    }
    out[ruleset.substr(at + 4, name_end - at - 4)] = positions;
  }
  return out;
}

TEST(FaultPlan, DrawsDependOnTheFaultsPlaceNotOnWhenItWentIn) {
  std::map<std::string, std::string> in_order, deferred;
  const std::string error = run_in_fresh_netns([&] {
    const CaseSpec spec = two_faults();
    {
      FaultPlan plan(spec, 7);
      plan.start(wire(true));
      for (auto& e : spec.timeline) plan.run(e, wire(true));
      in_order = sets_of(plan.ruleset_text());
    }
    {
      FaultPlan plan(spec, 7);
      plan.start(wire(false));
      for (auto& e : spec.timeline) plan.run(e, wire(false));  // the first waits for "late"
      plan.peer_arrived(wire(true));
      deferred = sets_of(plan.ruleset_text());
    }
    require(in_order.size() == 2 && in_order.count("f0") && in_order.count("f1"),
            "both faults drew positions: " + std::to_string(in_order.size()) + " sets");
    require(in_order.at("f0") != in_order.at("f1"), "each fault draws its own positions");
    auto show = [](const std::map<std::string, std::string>& sets) {
      std::string out;
      for (auto& [name, positions] : sets) out += " " + name + "={" + positions + "}";
      return out;
    };
    require(in_order == deferred, "a fault that waited for its peer drew other positions: in order" +
                                      show(in_order) + ", deferred" + show(deferred));
  });
  EXPECT_EQ(error, "");
}

TEST(FaultPlan, ACounterNamingALatePeerReadsZeroUntilItComes) {
  const std::string error = run_in_fresh_netns([] {
    CaseSpec spec;
    spec.peers.resize(1);
    spec.peers[0].name = "late";
    Expectation x;
    x.selector.kind = Selector::packets;
    x.selector.packet_match = match_of(R"({"to": "late"})");
    spec.expect.push_back(x);
    FaultPlan plan(spec, 1);
    plan.start(wire(false));
    std::vector<std::int64_t> packets;
    plan.read_counters(packets);
    require(packets == std::vector<std::int64_t>{0}, "a waiting counter reads 0");
    plan.peer_arrived(wire(true));
    plan.read_counters(packets);
    require(packets == std::vector<std::int64_t>{0}, "the counter is in and reads 0");
    require(plan.ruleset_text().find("counter e0") != std::string::npos, "counter e0 installed");
  });
  EXPECT_EQ(error, "");
}

}  // namespace
}  // namespace sockdrill
