// A case's events at field size: counts per peer, kind and errno or code; the list's bound.
#include "reports/event_counts.hpp"

#include <gtest/gtest.h>

namespace sockdrill::reports {
namespace {

EventRecord event(double t_ms, std::string peer, std::string kind,
                  std::optional<std::string> errno_name = std::nullopt, std::optional<int> code = std::nullopt) {
  EventRecord e;
  e.t_ms = t_ms;
  e.peer = std::move(peer);
  e.kind = std::move(kind);
  e.errno_name = std::move(errno_name);
  e.code = code;
  return e;
}

TEST(EventCounts, CountPerPeerKindAndErrnoWithTheFirstAndLastTimes) {
  const std::vector<EventRecord> events = {
      event(1, "client", "connected"),         event(2, "server", "accepted"),
      event(3, "client", "connected"),         event(4, "client", "error", "ECONNRESET"),
      event(5, "client", "error", "EPIPE"),    event(9, "client", "error", "ECONNRESET"),
      event(12, "app", "exit", std::nullopt, 3)};
  const std::vector<EventCount> want = {
      {"client", "connected", std::nullopt, std::nullopt, 2, 1, 3},
      {"server", "accepted", std::nullopt, std::nullopt, 1, 2, 2},
      {"client", "error", "ECONNRESET", std::nullopt, 2, 4, 9},
      {"client", "error", "EPIPE", std::nullopt, 1, 5, 5},
      {"app", "exit", std::nullopt, 3, 1, 12, 12}};
  EXPECT_EQ(count_events(events), want);
}

TEST(EventCounts, ABoundKeepsTheFirstAndLastHalvesAndSaysHowManyWentOut) {
  std::vector<EventRecord> events;
  for (int i = 0; i < 25; ++i) events.push_back(event(i, "client", "connected"));
  std::vector<EventRecord> small = events;
  EXPECT_EQ(bound_events(small, 25), 0);
  EXPECT_EQ(small.size(), 25u);

  EXPECT_EQ(bound_events(events, 10), 15);
  ASSERT_EQ(events.size(), 10u);
  EXPECT_EQ(events[4].t_ms, 4);   // the first five
  EXPECT_EQ(events[5].t_ms, 20);  // then the last five
  EXPECT_EQ(events[9].t_ms, 24);
}

}  // namespace
}  // namespace sockdrill::reports
