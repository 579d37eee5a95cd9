// Each proxy toxic on its own: how it shapes a stream's pieces and what it asks of the relay.
#include <gtest/gtest.h>

#include <map>

#include "behaviors/toxics/toxic.hpp"
#include "tests/behaviors/test_support.hpp"

namespace sockdrill::behaviors {
namespace {

using namespace std::chrono_literals;
const ToxicClock::time_point t0{std::chrono::seconds(1000)};

std::string all(const Diagnostics& d) { return testing::listed(d); }

// The toxic of `json`; fails the test when it does not parse.
ToxicSpec spec_of(const char* json) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  auto spec = parse_toxic(Json::parse(json), "/t", ctx);
  EXPECT_TRUE(spec && d.ok()) << json << "\n" << all(d);
  return spec ? *spec : ToxicSpec{};
}

// The diagnostics of a toxic that must be refused.
std::string refusal_of(const char* json) {
  Diagnostics d;
  ParseContext ctx{d, {}};
  EXPECT_FALSE(parse_toxic(Json::parse(json), "/t", ctx)) << json;
  return all(d);
}

std::unique_ptr<Toxic> make(const char* json, std::uint64_t seed = 1) {
  return spec_of(json).params->make(seed);
}

std::vector<Piece> data(std::size_t n, ToxicClock::time_point at = t0) {
  return {Piece{Piece::data, std::string(n, 'x'), at}};
}

// Records what a toxic asks of the relay; timers run when the test says so.
struct FakeStream : StreamControl {
  int paused = 0, resets = 0, closes = 0;
  std::vector<std::pair<std::chrono::milliseconds, std::function<void()>>> timers;
  std::vector<std::weak_ptr<void>> handles;
  void pause_relaying() override { ++paused; }
  void resume_relaying() override { --paused; }
  void reset_destination() override { ++resets; }
  void close_connection() override { ++closes; }
  Handle after(std::chrono::milliseconds d, std::function<void()> action) override {
    auto h = std::make_shared<int>(0);
    timers.emplace_back(d, std::move(action));
    handles.push_back(h);
    return h;
  }
  void fire(std::size_t i) {
    if (!handles[i].expired()) timers[i].second();
  }
};

TEST(Toxics, TableHasEveryTypeOfTheFormat) {
  std::vector<std::string> types;
  for (auto& k : toxic_table()) types.emplace_back(k.type);
  EXPECT_EQ(types, (std::vector<std::string>{"latency", "bandwidth", "slicer", "slow_close", "timeout",
                                             "reset_peer", "limit_data", "never_close"}));
}

TEST(Toxics, SpecDefaultsToDownstreamFullToxicityAndZeroAttributes) {
  auto s = spec_of(R"({"name": "a", "type": "latency"})");
  EXPECT_EQ(s.name, "a");
  EXPECT_EQ(s.kind, find_toxic("latency"));
  EXPECT_FALSE(s.upstream);
  EXPECT_EQ(s.toxicity, 1.0);
  EXPECT_EQ(s.params->to_json(), Json::parse(R"({"latency_ms": 0, "jitter_ms": 0})"));
  EXPECT_TRUE(spec_of(R"({"name": "a", "type": "latency", "stream": "upstream"})").upstream);
}

TEST(Toxics, EveryTypeRoundTripsThroughToJson) {
  const char* const written[] = {
      R"({"name": "a", "type": "latency", "stream": "upstream", "toxicity": 0.5, "latency_ms": 100, "jitter_ms": 10})",
      R"({"name": "b", "type": "bandwidth", "stream": "downstream", "toxicity": 1.0, "rate_kbps": 2147483647})",
      R"({"name": "c", "type": "slicer", "stream": "downstream", "toxicity": 0.0, "average_size": 10, "size_variation": 3, "delay_us": 500})",
      R"({"name": "d", "type": "slow_close", "stream": "upstream", "toxicity": 1.0, "delay_ms": 300})",
      R"({"name": "e", "type": "timeout", "stream": "downstream", "toxicity": 1.0, "timeout_ms": 0})",
      R"({"name": "f", "type": "reset_peer", "stream": "downstream", "toxicity": 1.0, "timeout_ms": 40})",
      R"({"name": "g", "type": "limit_data", "stream": "downstream", "toxicity": 1.0, "bytes": 15})",
      R"({"name": "h", "type": "never_close", "stream": "downstream", "toxicity": 0.25})"};
  for (const char* text : written) {
    auto first = spec_of(text);
    EXPECT_EQ(first.to_json(), Json::parse(text));
    Diagnostics d;
    ParseContext ctx{d, {}};
    auto second = parse_toxic(first.to_json(), "/t", ctx);
    ASSERT_TRUE(second) << all(d);
    EXPECT_EQ(second->to_json(), first.to_json());
  }
  // What a case leaves out is written in full: the defaults.
  EXPECT_EQ(spec_of(R"({"type": "slow_close", "name": "x"})").to_json(),
            Json::parse(R"({"name": "x", "type": "slow_close", "stream": "downstream",
                            "toxicity": 1.0, "delay_ms": 0})"));
}

TEST(Toxics, AttributesTheRelayWouldOverflowOnAreRefusedWithTheirBound) {
  // Before, the relay took any int64: rate_kbps * 1000 and a latency in nanoseconds overflowed.
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "bandwidth", "rate_kbps": 9223372036854775807})"),
            "/t/rate_kbps: expected an integer at most 2147483647, got 9223372036854775807\n");
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "latency", "latency_ms": 100, "jitter_ms": 5000000000})"),
            "/t/jitter_ms: expected an integer at most 2147483647, got 5000000000\n");
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "slicer", "delay_us": 1e300})"),
            "/t/delay_us: expected an integer at most 2147483647, got 1e+300\n");
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "limit_data", "bytes": -1})"),
            "/t/bytes: expected an integer at least 0, got -1\n");
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "timeout", "timeout_ms": "1s"})"),
            "/t/timeout_ms: expected an integer, got a string \"1s\"\n");
}

TEST(Toxics, RefusesWhatTheFormatDoesNotHave) {
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "latency", "rate_kbps": 1})"),
            "/t/rate_kbps: unknown key \"rate_kbps\" (expected one of: name, type, stream, "
            "toxicity, latency_ms, jitter_ms)\n");
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "never_close", "delay_ms": 1})"),
            "/t/delay_ms: unknown key \"delay_ms\" (expected one of: name, type, stream, "
            "toxicity)\n");
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "nope"})"),
            "/t/type: expected one of \"latency\", \"bandwidth\", \"slicer\", \"slow_close\", "
            "\"timeout\", \"reset_peer\", \"limit_data\", \"never_close\", got \"nope\"\n");
  // With an unknown type, any type's attribute is let be (no second report).
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": 3, "rate_kbps": 1})"),
            "/t/type: expected a string, got the integer 3\n");
  EXPECT_EQ(refusal_of(R"({"type": "timeout"})"), "/t: missing required key \"name\"\n");
  EXPECT_EQ(refusal_of(R"({"name": "", "type": "timeout"})"),
            "/t/name: expected a toxic name, got an empty string\n");
  EXPECT_EQ(refusal_of(R"({"name": "a"})"), "/t: missing required key \"type\"\n");
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "timeout", "stream": "up"})"),
            "/t/stream: expected one of \"upstream\", \"downstream\", got \"up\"\n");
  EXPECT_EQ(refusal_of(R"({"name": "a", "type": "timeout", "toxicity": 1.5})"),
            "/t/toxicity: expected a number from 0.0 to 1.0, got 1.5\n");
  EXPECT_EQ(refusal_of(R"([])"), "/t: expected an object, got an array\n");
}

TEST(Toxics, LatencyDelaysDataNotTheFin) {
  auto t = make(R"({"name": "l", "type": "latency", "latency_ms": 100})");
  auto pieces = data(10);
  pieces.push_back({Piece::fin, {}, t0});
  t->shape(pieces, t0);
  EXPECT_EQ(pieces[0].not_before, t0 + 100ms);
  EXPECT_EQ(pieces[1].not_before, t0);  // the writer still delivers it after the data
}

TEST(Toxics, LatencyJitterStaysInItsBoundsAndFollowsTheSeed) {
  const char* j = R"({"name": "l", "type": "latency", "latency_ms": 100, "jitter_ms": 20})";
  auto a = make(j, 5), b = make(j, 5), c = make(j, 6);
  bool differs = false;
  for (int i = 0; i < 50; ++i) {
    auto pa = data(1), pb = data(1), pc = data(1);
    a->shape(pa, t0);
    b->shape(pb, t0);
    c->shape(pc, t0);
    EXPECT_GE(pa[0].not_before, t0 + 80ms);
    EXPECT_LE(pa[0].not_before, t0 + 120ms);
    EXPECT_EQ(pa[0].not_before, pb[0].not_before);  // same seed, same delays
    differs = differs || pa[0].not_before != pc[0].not_before;
  }
  EXPECT_TRUE(differs);
}

TEST(Toxics, BandwidthSpacesSlicesByTheRate) {
  // 80 kbps = 10,000 bytes/s: 200-byte slices (20 ms worth), 20 ms apart.
  auto t = make(R"({"name": "b", "type": "bandwidth", "rate_kbps": 80})");
  auto pieces = data(1000);
  t->shape(pieces, t0);
  ASSERT_EQ(pieces.size(), 5u);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    EXPECT_EQ(pieces[i].bytes.size(), 200u);
    EXPECT_EQ(pieces[i].not_before, t0 + std::chrono::milliseconds(20 * i));
  }
  auto more = data(200, t0);  // arrives at once: waits for the wire to be free
  t->shape(more, t0);
  EXPECT_EQ(more[0].not_before, t0 + 100ms);
}

TEST(Toxics, BandwidthZeroIsNoCap) {
  auto t = make(R"({"name": "b", "type": "bandwidth"})");
  auto pieces = data(100000);
  t->shape(pieces, t0);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].not_before, t0);
}

TEST(Toxics, SlicerCutsIntoSizesAroundTheAverageDelayApart) {
  auto t = make(R"({"name": "s", "type": "slicer", "average_size": 10, "size_variation": 3, "delay_us": 500})");
  auto pieces = data(1000);
  t->shape(pieces, t0);
  std::size_t total = 0;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    total += pieces[i].bytes.size();
    if (i + 1 < pieces.size()) {
      EXPECT_GE(pieces[i].bytes.size(), 7u);
      EXPECT_LE(pieces[i].bytes.size(), 13u);
    }
    EXPECT_EQ(pieces[i].not_before, t0 + std::chrono::microseconds(500 * i));
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_GE(pieces.size(), 77u);
}

TEST(Toxics, SlowCloseDelaysOnlyTheFin) {
  auto t = make(R"({"name": "c", "type": "slow_close", "delay_ms": 300})");
  auto pieces = data(5);
  pieces.push_back({Piece::fin, {}, t0});
  t->shape(pieces, t0);
  EXPECT_EQ(pieces[0].not_before, t0);
  EXPECT_EQ(pieces[1].not_before, t0 + 300ms);
}

TEST(Toxics, TimeoutPausesReadingAndClosesAfterItsTime) {
  auto t = make(R"({"name": "t", "type": "timeout", "timeout_ms": 250})");
  FakeStream s;
  t->attach(s);
  EXPECT_EQ(s.paused, 1);
  ASSERT_EQ(s.timers.size(), 1u);
  EXPECT_EQ(s.timers[0].first, 250ms);
  s.fire(0);
  EXPECT_EQ(s.closes, 1);
}

TEST(Toxics, TimeoutZeroNeverClosesAndRemovalResumes) {
  auto t = make(R"({"name": "t", "type": "timeout", "timeout_ms": 0})");
  FakeStream s;
  t->attach(s);
  EXPECT_TRUE(s.timers.empty());
  t->detach(s);
  EXPECT_EQ(s.paused, 0);
}

TEST(Toxics, ResetPeerResetsTheDestinationUnlessRemovedFirst) {
  auto t = make(R"({"name": "r", "type": "reset_peer", "timeout_ms": 40})");
  FakeStream s;
  t->attach(s);
  ASSERT_EQ(s.timers.size(), 1u);
  EXPECT_EQ(s.timers[0].first, 40ms);
  s.fire(0);
  EXPECT_EQ(s.resets, 1);

  auto removed = make(R"({"name": "r", "type": "reset_peer", "timeout_ms": 40})");
  FakeStream s2;
  removed->attach(s2);
  removed->detach(s2);
  s2.fire(0);
  EXPECT_EQ(s2.resets, 0);
}

TEST(Toxics, LimitDataTruncatesThenClosesAndDropsTheRest) {
  auto t = make(R"({"name": "l", "type": "limit_data", "bytes": 15})");
  auto first = data(10);
  t->shape(first, t0);
  ASSERT_EQ(first.size(), 1u);
  auto second = data(10);
  second.push_back({Piece::fin, {}, t0});
  t->shape(second, t0);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].bytes.size(), 5u);
  EXPECT_EQ(second[1].kind, Piece::close_connection);
  auto after = data(10);
  t->shape(after, t0);
  EXPECT_TRUE(after.empty());
}

TEST(Toxics, NeverCloseTurnsTheFinIntoHold) {
  auto t = make(R"({"name": "n", "type": "never_close"})");
  auto pieces = data(3);
  pieces.push_back({Piece::fin, {}, t0});
  t->shape(pieces, t0);
  EXPECT_EQ(pieces[0].kind, Piece::data);
  EXPECT_EQ(pieces[1].kind, Piece::hold);
}

TEST(Toxics, ToxicityIsTheShareOfConnectionsAndFollowsTheSeed) {
  auto half = spec_of(R"({"name": "x", "type": "never_close", "toxicity": 0.5})");
  int applied = 0;
  for (int conn = 0; conn < 2000; ++conn) {
    bool a = toxic_applies(half, 99, conn);
    EXPECT_EQ(a, toxic_applies(half, 99, conn));
    applied += a;
  }
  EXPECT_GT(applied, 900);
  EXPECT_LT(applied, 1100);
  int same = 0;
  for (int conn = 0; conn < 200; ++conn) same += toxic_applies(half, 99, conn) == toxic_applies(half, 100, conn);
  EXPECT_LT(same, 150);  // another seed draws another subset
  auto all = spec_of(R"({"name": "x", "type": "never_close"})");
  auto none = spec_of(R"({"name": "x", "type": "never_close", "toxicity": 0})");
  for (int conn = 0; conn < 50; ++conn) {
    EXPECT_TRUE(toxic_applies(all, 1, conn));
    EXPECT_FALSE(toxic_applies(none, 1, conn));
  }
}

}  // namespace
}  // namespace sockdrill::behaviors
