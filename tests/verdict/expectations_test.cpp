// Tests of the expectation engine with synthetic observations and events: verdicts and messages.
#include <gtest/gtest.h>

#include <stdexcept>

#include "harness/verdict/expectations.hpp"

namespace sockdrill {
namespace {

constexpr int kServer = 0;
constexpr int kClient = 1;

CaseSpec two_peers() {
  CaseSpec spec;
  spec.name = "synthetic";
  PeerSpec server;
  server.name = "server";
  server.kind = PeerKind::server;
  PeerSpec client;
  client.name = "client";
  client.kind = PeerKind::client;
  spec.peers = {server, client};
  return spec;
}

Quantity exactly(std::int64_t n) { return Quantity{n, n}; }

Expectation sockets(const std::string& peer, std::vector<TcpState> states, Quantity q) {
  Expectation e;
  e.selector.kind = Selector::sockets;
  e.selector.peer = peer;
  e.selector.states = std::move(states);
  e.count = q;
  return e;
}

Expectation events(const std::string& peer, const std::string& kind, Quantity q) {
  Expectation e;
  e.selector.kind = Selector::events;
  e.selector.peer = peer;
  e.selector.event_kind = kind;
  e.count = q;
  return e;
}

Expectation bytes(const std::string& peer, bool sent, Quantity q) {
  Expectation e;
  e.selector.kind = Selector::bytes;
  e.selector.peer = peer;
  e.selector.dir_sent = sent;
  e.count = q;
  return e;
}

Expectation by(Expectation e, std::int64_t t_ms) {
  e.by_ms = t_ms;
  return e;
}

Expectation window(Expectation e, std::int64_t from, std::int64_t until) {
  e.from_ms = from;
  e.until_ms = until;
  return e;
}

// One observation at t_ms with the given (peer, state, count) entries; other counts are 0.
Observation at(std::int64_t t_ms, std::initializer_list<std::tuple<int, TcpState, int>> counts = {}) {
  Observation obs;
  obs.begin_us = obs.end_us = t_ms * 1000;
  obs.sockets.assign(2, {});
  for (auto [peer, state, n] : counts) obs.sockets[peer][static_cast<std::size_t>(state)] = n;
  return obs;
}

RecordedEvent event(int peer, std::int64_t t_ms, const std::string& kind) {
  RecordedEvent e;
  e.peer = peer;
  e.t_us = t_ms * 1000;
  e.kind = kind;
  return e;
}

RecordedEvent with_errno(RecordedEvent e, const std::string& name) {
  e.errno_name = name;
  return e;
}

RecordedEvent with_bytes(RecordedEvent e, std::int64_t n) {
  e.bytes = n;
  return e;
}

RecordedEvent with_code(RecordedEvent e, int code) {
  e.code = code;
  return e;
}

using Status = ExpectationResult::Status;

struct Engine {
  CaseSpec spec = two_peers();
  std::unique_ptr<ExpectationEngine> engine;

  explicit Engine(std::vector<Expectation> expect) {
    spec.expect = std::move(expect);
    engine = std::make_unique<ExpectationEngine>(spec);
  }
  void observe(const Observation& obs, std::vector<RecordedEvent> new_events = {}) {
    engine->observe(obs, new_events);
  }
  const ExpectationResult& result(std::size_t i = 0) const { return engine->results().at(i); }
};

// ---- eventually (by_ms) ----

TEST(Eventually, PassesAtTheFirstObservationThatHolds) {
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 1000)});
  e.observe(at(0));
  e.observe(at(5));
  EXPECT_EQ(e.result().status, Status::pending);
  e.observe(at(12, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  EXPECT_EQ(e.result().status, Status::pass);
  EXPECT_EQ(e.result().message, "held at 12 ms");
  EXPECT_EQ(e.result().decided_at_us, 12000);
  // Once decided, later observations change nothing.
  e.observe(at(2000));
  EXPECT_EQ(e.result().status, Status::pass);
  EXPECT_TRUE(e.engine->all_decided());
}

TEST(Eventually, AlreadyTrueAtTimeZeroPassesAtOnce) {
  Engine e({by(sockets("server", {TcpState::LISTEN}, exactly(1)), 1000)});
  e.observe(at(0, {{kServer, TcpState::LISTEN, 1}}));
  EXPECT_EQ(e.result().status, Status::pass);
  EXPECT_EQ(e.result().message, "held at 0 ms");
}

TEST(Eventually, ObservationExactlyAtTheDeadlineCounts) {
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 1000)});
  e.observe(at(999));
  e.observe(at(1000, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  EXPECT_EQ(e.result().status, Status::pass);
  EXPECT_EQ(e.result().message, "held at 1000 ms");
}

TEST(Eventually, HoldingJustAfterTheDeadlineIsTooLate) {
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 1000)});
  e.observe(at(0, {{kClient, TcpState::ESTABLISHED, 1}}));
  e.observe(at(500, {{kClient, TcpState::ESTABLISHED, 1}}));
  e.observe(at(1000, {{kClient, TcpState::ESTABLISHED, 1}}));
  EXPECT_EQ(e.result().status, Status::pending);
  e.observe(at(1001, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  EXPECT_EQ(e.result().status, Status::fail);
  EXPECT_EQ(e.result().decided_at_us, 1001000);
  EXPECT_EQ(e.result().message,
            "expected sockets of peer \"client\" in CLOSE_WAIT: count 1 by 1000 ms; saw 0 at every "
            "observation from 0 to 1000 ms (3 observations); last sample at 1001 ms: client: "
            "CLOSE_WAIT=1");
}

TEST(Eventually, FailureListsTheLastSampleOfThatPeerOnly) {
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 100)});
  e.observe(at(0));
  e.observe(at(101, {{kClient, TcpState::ESTABLISHED, 1}, {kServer, TcpState::LISTEN, 1}}));
  EXPECT_EQ(e.result().message,
            "expected sockets of peer \"client\" in CLOSE_WAIT: count 1 by 100 ms; saw 0 at every "
            "observation from 0 to 0 ms (1 observation); last sample at 101 ms: client: "
            "ESTABLISHED=1");
}

TEST(Eventually, FailureWithChangingValuesListsTheChanges) {
  Engine e({by(sockets("server", {TcpState::ESTABLISHED}, exactly(3)), 100)});
  e.observe(at(0));
  e.observe(at(10, {{kServer, TcpState::ESTABLISHED, 2}}));
  e.observe(at(20, {{kServer, TcpState::ESTABLISHED, 2}}));
  e.observe(at(30, {{kServer, TcpState::ESTABLISHED, 4}}));
  e.observe(at(101));
  EXPECT_EQ(e.result().status, Status::fail);
  EXPECT_EQ(e.result().message,
            "expected sockets of peer \"server\" in ESTABLISHED: count 3 by 100 ms; saw 0 from 0 "
            "ms, 2 from 10 ms, 4 from 30 ms (4 observations from 0 to 30 ms); last sample at 101 "
            "ms: server: no sockets");
}

TEST(Eventually, NoObservationBeforeTheDeadlineIsUndecidedNotFailed) {
  Engine e({by(sockets("server", {TcpState::LISTEN}, exactly(1)), 10)});
  e.observe(at(11, {{kServer, TcpState::LISTEN, 1}}));
  EXPECT_EQ(e.result().status, Status::undecided);
  EXPECT_EQ(e.result().message,
            "expected sockets of peer \"server\" in LISTEN: count 1 by 10 ms; not decided: no "
            "observation was read wholly at or before 10 ms (the first was read at 11 ms); last "
            "sample at 11 ms: server: LISTEN=1");
}

TEST(Eventually, SubMillisecondTimesAreShownWithATenth) {
  Engine e({by(sockets("server", {TcpState::LISTEN}, exactly(1)), 10)});
  Observation obs = at(0);
  obs.begin_us = obs.end_us = 10400;  // 10.4 ms: past the deadline, though it would round to 10
  e.observe(obs);
  EXPECT_EQ(e.result().status, Status::undecided);
  EXPECT_NE(e.result().message.find("(the first was read at 10.4 ms)"), std::string::npos)
      << e.result().message;
}

TEST(Eventually, ObservationsBeforeTimeZeroDecideNothing) {
  Engine e({by(sockets("server", {TcpState::LISTEN}, exactly(0)), 10)});
  Observation early = at(0);
  early.begin_us = early.end_us = -5000;
  e.observe(early);
  EXPECT_EQ(e.result().status, Status::pending);
  e.observe(at(0));
  EXPECT_EQ(e.result().status, Status::pass);
}

// ---- always (from_ms / until_ms) ----

TEST(Always, FailsAtTheFirstObservationInTheWindowThatBreaksIt) {
  Engine e({window(sockets("server", {TcpState::FIN_WAIT2}, exactly(0)), 4000, 5000)});
  e.observe(at(3999, {{kServer, TcpState::FIN_WAIT2, 1}}));  // before the window: ignored
  EXPECT_EQ(e.result().status, Status::pending);
  e.observe(at(4000));
  e.observe(at(4001));
  e.observe(at(4003, {{kServer, TcpState::FIN_WAIT2, 1}, {kServer, TcpState::LISTEN, 1}}));
  EXPECT_EQ(e.result().status, Status::fail);
  EXPECT_EQ(e.result().decided_at_us, 4003000);
  EXPECT_EQ(e.result().message,
            "expected sockets of peer \"server\" in FIN_WAIT2: count 0 from 4000 to 5000 ms; saw 1 "
            "at 4003 ms (first failure, after 2 observations in the window that held); last "
            "sample at 4003 ms: server: FIN_WAIT2=1, LISTEN=1");
}

TEST(Always, ObservationExactlyAtTheStartCounts) {
  Engine e({window(sockets("server", {TcpState::FIN_WAIT2}, exactly(0)), 4000, 5000)});
  e.observe(at(4000, {{kServer, TcpState::FIN_WAIT2, 1}}));
  EXPECT_EQ(e.result().status, Status::fail);
  EXPECT_EQ(e.result().message,
            "expected sockets of peer \"server\" in FIN_WAIT2: count 0 from 4000 to 5000 ms; saw 1 "
            "at 4000 ms (first failure, at the first observation in the window); last sample at "
            "4000 ms: server: FIN_WAIT2=1");
}

TEST(Always, ObservationExactlyAtTheEndCounts) {
  Engine e({window(sockets("server", {TcpState::FIN_WAIT2}, exactly(0)), 4000, 5000)});
  e.observe(at(4000));
  e.observe(at(5000, {{kServer, TcpState::FIN_WAIT2, 1}}));
  EXPECT_EQ(e.result().status, Status::fail);
  EXPECT_EQ(e.result().decided_at_us, 5000000);
}

TEST(Always, PassesAtTheFirstObservationAfterTheWindow) {
  Engine e({window(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 1000, 2000)});
  e.observe(at(0));  // before the window, not holding: does not matter
  e.observe(at(1000, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  e.observe(at(1500, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  e.observe(at(2000, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  EXPECT_EQ(e.result().status, Status::pending);
  e.observe(at(2001));  // after the window, not holding: does not matter either
  EXPECT_EQ(e.result().status, Status::pass);
  EXPECT_EQ(e.result().decided_at_us, 2001000);
  EXPECT_EQ(e.result().message,
            "held at every observation from 1000 to 2000 ms (3 observations)");
}

TEST(Always, WindowWithoutAnyObservationIsUndecidedNotFailed) {
  Engine e({window(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 1000, 2000)});
  e.observe(at(999, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  e.observe(at(2001, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  EXPECT_EQ(e.result().status, Status::undecided);
  EXPECT_EQ(e.result().message,
            "expected sockets of peer \"client\" in CLOSE_WAIT: count 1 from 1000 to 2000 ms; not "
            "decided: no observation was read wholly from 1000 to 2000 ms (the next was read at "
            "2001 ms), so it can be said neither to hold nor to fail; last sample at 2001 ms: "
            "client: CLOSE_WAIT=1");
}

// An observation's reads take time: it counts for a window only when all of it lies inside.
Observation read_between(std::int64_t begin_us, std::int64_t end_us,
                         std::initializer_list<std::tuple<int, TcpState, int>> counts = {}) {
  Observation obs = at(0, counts);
  obs.begin_us = begin_us;
  obs.end_us = end_us;
  return obs;
}

TEST(Intervals, AnObservationStraddlingTheStartOfAWindowCountsForNeitherSide) {
  Engine e({window(sockets("server", {TcpState::LISTEN}, exactly(1)), 300, 303)});
  e.observe(read_between(299'000, 335'000));  // 200 idle commands: a 36 ms sample
  EXPECT_EQ(e.result().status, Status::pending);
  e.observe(read_between(335'000, 370'000, {{kServer, TcpState::LISTEN, 1}}));
  EXPECT_EQ(e.result().status, Status::undecided) << e.result().message;
}

TEST(Intervals, EventuallyNeedsTheWholeReadBeforeTheDeadline) {
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 100)});
  e.observe(read_between(99'500, 100'400, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  EXPECT_EQ(e.result().status, Status::pending);  // maybe read after 100 ms: not a pass
  e.observe(read_between(100'500, 101'000, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  EXPECT_EQ(e.result().status, Status::undecided) << e.result().message;

  Engine held({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 100)});
  held.observe(read_between(99'000, 99'900, {{kClient, TcpState::CLOSE_WAIT, 1}}));
  EXPECT_EQ(held.result().status, Status::pass);
}

TEST(Intervals, AlwaysFailsOnlyOnAReadWhollyInsideTheWindow) {
  Engine e({window(sockets("server", {TcpState::FIN_WAIT2}, exactly(0)), 100, 200)});
  e.observe(read_between(99'800, 100'300, {{kServer, TcpState::FIN_WAIT2, 1}}));
  EXPECT_EQ(e.result().status, Status::pending);  // may have been read before 100 ms
  e.observe(read_between(100'300, 100'600, {{kServer, TcpState::FIN_WAIT2, 1}}));
  EXPECT_EQ(e.result().status, Status::fail);
}

TEST(Intervals, EventsCountUpToTheEndOfTheRead) {
  Engine e({by(events("client", "connected", exactly(1)), 100)});
  e.observe(read_between(40'000, 50'000), {event(kClient, 45, "connected")});
  EXPECT_EQ(e.result().status, Status::pass);
  EXPECT_EQ(e.result().message, "held at 50 ms");
}

// A read of the kernel that comes late must not hide an event that came in time: events are
// known exactly, so they are judged at the window's own bounds too.
TEST(Intervals, EventsAreJudgedAtTheWindowsBoundsEvenWhenNoReadFallsThere) {
  Engine e({by(events("client", "received", exactly(1)), 1008),
            window(events("client", "received", exactly(1)), 1006, 1007)});
  e.observe(read_between(998'000, 998'200));
  e.observe(read_between(1'009'800, 1'010'000), {event(kClient, 1005, "received")});
  EXPECT_EQ(e.result(0).status, Status::pass) << e.result(0).message;
  EXPECT_EQ(e.result(0).message, "held at 1008 ms");
  EXPECT_EQ(e.result(1).status, Status::pass) << e.result(1).message;

  Engine late({by(events("client", "received", exactly(1)), 1004)});
  late.observe(read_between(998'000, 998'200));
  late.observe(read_between(1'009'800, 1'010'000), {event(kClient, 1005, "received")});
  EXPECT_EQ(late.result().status, Status::fail) << late.result().message;
}

TEST(Intervals, LateEventsAreCountedFromTheNextObservationAndReported) {
  Engine e({by(events("client", "error", exactly(1)), 100)});
  e.observe(at(10));
  e.observe(at(20), {event(kClient, 5, "error")});  // stamped before the observation at 10 ms
  EXPECT_EQ(e.engine->late_events(), 1);
  EXPECT_EQ(e.result().status, Status::pass);
}

TEST(Always, SeveralStatesAreSummed) {
  Engine e({window(sockets("server", {TcpState::FIN_WAIT2, TcpState::TIME_WAIT}, exactly(2)), 0,
                   10)});
  e.observe(at(0, {{kServer, TcpState::FIN_WAIT2, 1}, {kServer, TcpState::TIME_WAIT, 1}}));
  e.observe(at(5, {{kServer, TcpState::TIME_WAIT, 2}, {kServer, TcpState::LISTEN, 1}}));
  e.observe(at(10, {{kServer, TcpState::FIN_WAIT2, 2}}));
  e.observe(at(11));
  EXPECT_EQ(e.result().status, Status::pass) << e.result().message;

  Engine wrong({window(sockets("server", {TcpState::FIN_WAIT2, TcpState::TIME_WAIT}, exactly(2)),
                       0, 10)});
  wrong.observe(at(0, {{kServer, TcpState::FIN_WAIT2, 1}, {kServer, TcpState::LISTEN, 1}}));
  EXPECT_EQ(wrong.result().status, Status::fail);
  EXPECT_EQ(wrong.result().message,
            "expected sockets of peer \"server\" in FIN_WAIT2 or TIME_WAIT: count 2 from 0 to 10 "
            "ms; saw 1 at 0 ms (first failure, at the first observation in the window); last "
            "sample at 0 ms: server: FIN_WAIT2=1, LISTEN=1");
}

// ---- quantities ----

TEST(Quantity, MinOnlyMaxOnlyAndBoth) {
  Engine e({
      window(sockets("server", {TcpState::ESTABLISHED}, Quantity{2, std::nullopt}), 0, 10),
      window(sockets("server", {TcpState::ESTABLISHED}, Quantity{std::nullopt, 3}), 0, 10),
      window(sockets("server", {TcpState::ESTABLISHED}, Quantity{2, 3}), 0, 10),
  });
  e.observe(at(0, {{kServer, TcpState::ESTABLISHED, 2}}));
  e.observe(at(5, {{kServer, TcpState::ESTABLISHED, 3}}));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(e.result(i).status, Status::pending) << i;
  e.observe(at(6, {{kServer, TcpState::ESTABLISHED, 4}}));
  EXPECT_EQ(e.result(0).status, Status::pending);
  EXPECT_EQ(e.result(1).status, Status::fail);
  EXPECT_EQ(e.result(2).status, Status::fail);
  e.observe(at(7, {{kServer, TcpState::ESTABLISHED, 1}}));
  EXPECT_EQ(e.result(0).status, Status::fail);
  EXPECT_NE(e.result(0).message.find("count {min 2} from 0 to 10 ms; saw 1 at 7 ms"),
            std::string::npos)
      << e.result(0).message;
  EXPECT_NE(e.result(1).message.find("count {max 3} from 0 to 10 ms; saw 4 at 6 ms"),
            std::string::npos)
      << e.result(1).message;
  EXPECT_NE(e.result(2).message.find("count {min 2, max 3} from 0 to 10 ms; saw 4 at 6 ms"),
            std::string::npos)
      << e.result(2).message;
}

// ---- events ----

TEST(Events, CountsOnlyEventsUpToTheObservation) {
  Engine e({by(events("client", "error", Quantity{1, std::nullopt}), 2000)});
  // Delivered early, but stamped after the observation: must not count yet.
  e.observe(at(0), {event(kClient, -2, "connected"), event(kClient, 10, "error")});
  EXPECT_EQ(e.result().status, Status::pending);
  e.observe(at(9));
  EXPECT_EQ(e.result().status, Status::pending);
  e.observe(at(10));
  EXPECT_EQ(e.result().status, Status::pass);
  EXPECT_EQ(e.result().message, "held at 10 ms");
}

TEST(Events, OutOfOrderDeliveryBetweenPeers) {
  Engine e({window(events("server", "accepted", exactly(1)), 5, 100)});
  e.observe(at(0), {event(kClient, 3, "connected")});
  // The server's accept at 2 ms arrives after the client's connect at 3 ms was delivered.
  e.observe(at(5), {event(kServer, 2, "accepted")});
  e.observe(at(101));
  EXPECT_EQ(e.result().status, Status::pass) << e.result().message;
}

TEST(Events, ErrnoFilterAndMessageWithTheEventsOfThePeer) {
  Expectation reset = events("client", "error", Quantity{1, std::nullopt});
  reset.selector.errno_name = "ECONNRESET";
  Expectation any_error = events("client", "error", Quantity{1, std::nullopt});
  Engine e({by(reset, 2000), by(any_error, 2000)});
  e.observe(at(0), {event(kClient, 0, "connected"), with_bytes(event(kClient, 1, "sent"), 4),
                    with_errno(event(kClient, 2, "error"), "EPIPE"), event(kClient, 3, "closed"),
                    event(kServer, 1, "accepted")});
  EXPECT_EQ(e.result(1).status, Status::pending);  // events at 1..3 ms are not "so far" at 0 ms
  e.observe(at(3));
  EXPECT_EQ(e.result(1).status, Status::pass);
  EXPECT_EQ(e.result(0).status, Status::pending);
  e.observe(at(2001));
  EXPECT_EQ(e.result(0).status, Status::fail);
  EXPECT_EQ(e.result(0).message,
            "expected events of peer \"client\" kind \"error\" errno \"ECONNRESET\": count {min 1} "
            "by 2000 ms; saw 0 at every observation from 0 to 2000 ms (3 observations); last sample "
            "at 2001 ms: client: no sockets; events of client so far: connected@0ms, "
            "sent@1ms(4 bytes), error@2ms(EPIPE), closed@3ms");
  const auto& observed = e.result(0).observed;
  ASSERT_TRUE(observed.events);
  EXPECT_EQ(observed.events->size(), 4u);
  EXPECT_EQ(observed.events->at(2).errno_name, "EPIPE");
}

TEST(Events, ExitCodeFilter) {
  Expectation clean = events("client", "exit", exactly(1));
  clean.selector.code = 0;
  Expectation killed = events("client", "exit", exactly(1));
  killed.selector.code = 137;
  Engine e({by(clean, 100), by(killed, 100)});
  e.observe(at(50), {with_code(event(kClient, 40, "exit"), 137)});
  EXPECT_EQ(e.result(1).status, Status::pass);
  EXPECT_EQ(e.result(0).status, Status::pending);
  e.observe(at(101));
  EXPECT_EQ(e.result(0).status, Status::fail);
  EXPECT_NE(e.result(0).message.find("kind \"exit\" code 0: count 1 by 100 ms; saw 0"),
            std::string::npos)
      << e.result(0).message;
  EXPECT_NE(e.result(0).message.find("exit@40ms(code 137)"), std::string::npos)
      << e.result(0).message;
}

TEST(Events, LongEventListsAreCapped) {
  Engine e({by(events("client", "error", exactly(1)), 100)});
  std::vector<RecordedEvent> many;
  for (int i = 0; i < 30; ++i) many.push_back(with_bytes(event(kClient, i, "sent"), 1));
  e.observe(at(50), many);
  e.observe(at(101));
  const std::string& m = e.result().message;
  EXPECT_NE(m.find("sent@9ms(1 byte), ... 10 more, sent@20ms(1 byte)"), std::string::npos) << m;
  EXPECT_EQ(m.find("sent@10ms"), std::string::npos) << m;
}

// ---- bytes ----

TEST(Bytes, SumsSentAndReceivedSeparately) {
  Engine e({window(bytes("client", true, exactly(10)), 20, 30),
            window(bytes("client", false, exactly(3)), 20, 30),
            window(bytes("server", false, exactly(10)), 20, 30)});
  // Bytes come from the progress of each read/write; the step's own `sent`/`received` event
  // repeats the total and must not be counted twice.
  e.observe(at(10), {with_bytes(event(kClient, 1, "bytes_sent"), 4),
                     with_bytes(event(kClient, 2, "bytes_sent"), 6),
                     with_bytes(event(kClient, 2, "sent"), 10),
                     with_bytes(event(kClient, 3, "bytes_received"), 3),
                     with_bytes(event(kClient, 3, "received"), 3),
                     with_bytes(event(kServer, 4, "bytes_received"), 10),
                     with_bytes(event(kServer, 4, "received"), 10),
                     with_bytes(event(kServer, 25, "bytes_received"), 1)});
  e.observe(at(20));
  e.observe(at(24));
  EXPECT_EQ(e.result(2).status, Status::pending);
  e.observe(at(25));
  EXPECT_EQ(e.result(2).status, Status::fail);
  EXPECT_EQ(e.result(2).message,
            "expected bytes received by peer \"server\": count 10 from 20 to 30 ms; saw 11 at 25 ms "
            "(first failure, after 2 observations in the window that held); last sample at 25 ms: "
            "server: no sockets; events of server so far: received@4ms(10 bytes)");
  e.observe(at(31));
  EXPECT_EQ(e.result(0).status, Status::pass) << e.result(0).message;
  EXPECT_EQ(e.result(1).status, Status::pass) << e.result(1).message;
}

TEST(Scale, TwentyThousandEventsDeliveredInBatchesAreEachCountedOnce) {
  Engine e({by(events("client", "sent", exactly(20000)), 10000),
            window(bytes("client", true, Quantity{std::nullopt, 20000}), 0, 10000),
            window(sockets("server", {TcpState::ESTABLISHED}, exactly(10000)), 0, 10000)});
  // 2000 observations 5 ms apart; each batch holds 10 events, some stamped past its observation.
  for (int k = 0; k < 2000; ++k) {
    std::vector<RecordedEvent> batch;
    for (int j = 0; j < 10; ++j) {
      batch.push_back(with_bytes(event(kClient, k * 5 + (j % 5), "bytes_sent"), 1));
      batch.push_back(with_bytes(event(kClient, k * 5 + (j % 5), "sent"), 1));
    }
    e.observe(at(k * 5, {{kServer, TcpState::ESTABLISHED, 10000}}), batch);
  }
  e.observe(at(10000, {{kServer, TcpState::ESTABLISHED, 10000}}));
  EXPECT_EQ(e.result(0).status, Status::pass) << e.result(0).message;
  EXPECT_EQ(e.result(0).message, "held at 10000 ms");
  e.observe(at(10001));
  EXPECT_EQ(e.result(1).status, Status::pass) << e.result(1).message;
  EXPECT_EQ(e.result(2).status, Status::pass) << e.result(2).message;
  EXPECT_EQ(e.result(1).observed.values.back().second, 20000);
}

// ---- finishing early, schedule, state mask ----

TEST(Finish, UndecidedExpectationsAreUndecidedWithTheReason) {
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 5000),
            window(sockets("server", {TcpState::LISTEN}, exactly(1)), 0, 20000),
            window(sockets("server", {TcpState::LISTEN}, exactly(1)), 15000, 20000),
            by(sockets("server", {TcpState::LISTEN}, exactly(1)), 10)});
  e.observe(at(0, {{kServer, TcpState::LISTEN, 1}}));
  e.observe(at(3000, {{kServer, TcpState::LISTEN, 1}, {kClient, TcpState::ESTABLISHED, 1}}));
  ASSERT_EQ(e.result(3).status, Status::pass);
  e.engine->finish_undecided(
      "the case ended at its time limit (10000 ms) before this was decided", 10000000);
  EXPECT_TRUE(e.engine->all_decided());
  EXPECT_EQ(e.result(3).status, Status::pass);  // decided ones stay as they were
  EXPECT_EQ(e.result(0).status, Status::undecided);
  EXPECT_EQ(e.result(0).decided_at_us, 10000000);
  EXPECT_EQ(e.result(0).message,
            "expected sockets of peer \"client\" in CLOSE_WAIT: count 1 by 5000 ms; not decided: the case ended "
            "at its time limit (10000 ms) before this was decided; saw 0 at every observation "
            "from 0 to 3000 ms (2 observations); last sample at 3000 ms: client: ESTABLISHED=1");
  EXPECT_EQ(e.result(1).message,
            "expected sockets of peer \"server\" in LISTEN: count 1 from 0 to 20000 ms; not decided: the case "
            "ended at its time limit (10000 ms) before this was decided; held at every "
            "observation from 0 to 3000 ms so far (2 observations); last sample at 3000 ms: "
            "server: LISTEN=1");
  EXPECT_NE(e.result(2).message.find("no observation was taken in the window yet"),
            std::string::npos)
      << e.result(2).message;
}

TEST(Finish, EventsUpToTheEndAreShown) {
  Engine e({by(events("client", "eof", exactly(1)), 5000)});
  e.observe(at(0), {event(kClient, 0, "connected"), with_errno(event(kClient, 7, "error"), "ECONNRESET")});
  e.engine->finish_undecided("the case ended before this was decided: peer crashed", 8000);
  EXPECT_NE(e.result().message.find("events of client so far: connected@0ms, error@7ms(ECONNRESET)"),
            std::string::npos)
      << e.result().message;
}

Expectation packets_expectation(Quantity count, std::optional<std::int64_t> by_ms,
                                std::optional<std::int64_t> from_ms = std::nullopt,
                                std::optional<std::int64_t> until_ms = std::nullopt) {
  Expectation x;
  x.selector.kind = Selector::packets;
  x.selector.packet_match = PacketMatch{"server", "client", {"rst"}, 1.0};
  x.count = count;
  x.by_ms = by_ms;
  x.from_ms = from_ms;
  x.until_ms = until_ms;
  return x;
}

Observation with_packets(Observation obs, std::vector<std::int64_t> packets) {
  obs.packets = std::move(packets);
  return obs;
}

TEST(Packets, CountsComeFromTheObservationsCounters) {
  Engine e({packets_expectation(exactly(1), 50),
            packets_expectation(exactly(0), std::nullopt, 0, 30)});
  e.observe(with_packets(at(0), {0, 0}));
  e.observe(with_packets(at(10), {0, 0}));
  EXPECT_EQ(e.result(0).status, Status::pending);
  e.observe(with_packets(at(20), {1, 1}));
  EXPECT_EQ(e.result(0).status, Status::pass) << e.result(0).message;
  EXPECT_EQ(e.result(1).status, Status::fail);
  EXPECT_EQ(e.result(1).message,
            "expected packets from \"server\" to \"client\" with flags rst: count 0 from 0 to 30 "
            "ms; saw 1 at 20 ms (first failure, after 2 observations in the window that held)");
}

TEST(Packets, AnObservationWithoutCountersDecidesNothing) {
  Engine e({packets_expectation(exactly(1), 10)});
  e.observe(at(0));
  e.observe(at(100));
  EXPECT_EQ(e.result().status, Status::pending);
  e.engine->finish_undecided("the case ended", 100000);
  EXPECT_EQ(e.result().status, Status::undecided);
  EXPECT_NE(e.result().message.find("the case ended"), std::string::npos) << e.result().message;
}

TEST(Schedule, BoundaryTimesAreSortedUniqueAndClamped) {
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 1000),
            window(sockets("server", {TcpState::FIN_WAIT2}, exactly(0)), 4000, 5000),
            window(sockets("server", {TcpState::LISTEN}, exactly(1)), 0, 1000),
            by(events("client", "connected", exactly(1)), 0)});
  EXPECT_EQ(e.engine->boundary_times_ms(),
            (std::vector<std::int64_t>{0, 999, 1000, 4000, 4999, 5000}));
}

TEST(Schedule, NeededStateMaskIsTheUnionOfSocketsSelectors) {
  Engine none({by(events("client", "connected", exactly(1)), 10)});
  EXPECT_EQ(none.engine->needed_state_mask(), 0u);
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 1000),
            by(sockets("server", {TcpState::FIN_WAIT2, TcpState::TIME_WAIT}, exactly(1)), 1000),
            by(bytes("client", true, exactly(1)), 10)});
  EXPECT_EQ(e.engine->needed_state_mask(), tcp_state_bit(TcpState::CLOSE_WAIT) |
                                               tcp_state_bit(TcpState::FIN_WAIT2) |
                                               tcp_state_bit(TcpState::TIME_WAIT));
}

// ---- observed record, misuse ----

TEST(Observed, ValuesAreRecordedAtChangesPlusFirstAndLast) {
  Engine e({window(sockets("server", {TcpState::ESTABLISHED}, Quantity{std::nullopt, 5}), 0,
                   100)});
  e.observe(at(0));
  e.observe(at(10));
  e.observe(at(20, {{kServer, TcpState::ESTABLISHED, 2}}));
  e.observe(at(30, {{kServer, TcpState::ESTABLISHED, 2}}));
  e.observe(at(40));
  e.observe(at(50));
  e.observe(at(101));
  ASSERT_EQ(e.result().status, Status::pass);
  const std::vector<std::pair<double, std::int64_t>> expected = {{0.0, 0}, {20.0, 2}, {40.0, 0}, {101.0, 0}};
  EXPECT_EQ(e.result().observed.values, expected);
  ASSERT_TRUE(e.result().observed.last_sample);
  EXPECT_EQ(e.result().observed.last_sample->t_ms, 101.0);
  EXPECT_EQ(e.result().observed.last_sample->peer, "server");
}

TEST(Misuse, ObservationsGoingBackInTimeThrow) {
  Engine e({by(sockets("client", {TcpState::CLOSE_WAIT}, exactly(1)), 1000)});
  e.observe(at(10));
  EXPECT_THROW(e.observe(at(9)), std::invalid_argument);
}

TEST(Misuse, ACountWithoutABoundThrows) {
  CaseSpec spec = two_peers();
  spec.expect = {by(sockets("server", {TcpState::LISTEN}, Quantity{}), 10)};
  EXPECT_THROW(ExpectationEngine engine(spec), std::invalid_argument);
}

TEST(Misuse, UnknownPeerThrows) {
  CaseSpec spec = two_peers();
  spec.expect = {by(sockets("nobody", {TcpState::LISTEN}, exactly(1)), 10)};
  EXPECT_THROW(ExpectationEngine engine(spec), std::invalid_argument);
}

TEST(Describe, ReadsLikeTheCase) {
  EXPECT_EQ(describe_expectation(by(bytes("server", false, Quantity{100, std::nullopt}), 2000)),
            "bytes received by peer \"server\": count {min 100} by 2000 ms");
}

// A JUnit test's name: every selector, count and window in a few words.
TEST(Describe, TitlesAreShortAndKeepWhatTellsExpectationsApart) {
  EXPECT_EQ(expectation_title(window(sockets("server", {TcpState::CLOSE_WAIT}, exactly(1)), 1000, 2000)),
            "server CLOSE_WAIT count 1 1000..2000 ms");
  EXPECT_EQ(expectation_title(by(sockets("client", {TcpState::SYN_RECV, TcpState::ESTABLISHED},
                                         Quantity{1, std::nullopt}), 500)),
            "client SYN_RECV|ESTABLISHED count >= 1 by 500 ms");
  Expectation reset = by(events("client", "error", Quantity{std::nullopt, 2}), 300);
  reset.selector.errno_name = "ECONNRESET";
  EXPECT_EQ(expectation_title(reset), "client error ECONNRESET count <= 2 by 300 ms");
  Expectation exit = by(events("app", "exit", Quantity{1, 3}), 300);
  exit.selector.code = 3;
  EXPECT_EQ(expectation_title(exit), "app exit code 3 count 1..3 by 300 ms");
  EXPECT_EQ(expectation_title(window(bytes("server", true, exactly(5)), 0, 10)),
            "server bytes sent count 5 0..10 ms");
  Expectation packets = by(bytes("server", true, exactly(1)), 10);
  packets.selector = Selector{};
  packets.selector.kind = Selector::packets;
  EXPECT_EQ(expectation_title(packets), "packets count 1 by 10 ms");
  packets.selector.packet_match = {"client", "server", {"syn", "ack"}, 1.0};
  EXPECT_EQ(expectation_title(packets), "packets from client to server syn|ack count 1 by 10 ms");
}

}  // namespace
}  // namespace sockdrill
