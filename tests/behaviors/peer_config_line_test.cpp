// The peer's config line (protocol/peer_config.hpp): written and read into the same types as the
// case (script, toxics), and whatever is there, of whatever type, becomes a diagnostic, never an
// exception.
#include "protocol/peer_config.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "tests/behaviors/config_line.hpp"
#include "tests/behaviors/test_support.hpp"

namespace sockdrill::protocol {
namespace {

std::string all(const Diagnostics& d) {
  return testing::listed(d);
}

Json line_with(const char* peer) {
  Json line = testing::config_line(Json::parse(peer), "p", 7);
  line["t0_ns"] = 5;
  line["source"] = {{"v4", "0.0.0.0"}, {"v6", "::"}};
  return line;
}

auto parse_config(const Json& line, Diagnostics& d) { return peer_config_from_json(line, d); }

const char* const kServer = R"({"listen": {"address": "127.0.0.1", "port": 0, "backlog": 4,
    "reuseaddr": true, "accept": {"on_cue": "go"}}, "options": {"keepalive": {"idle_s": 1},
    "nodelay": true}, "steps": [{"recv": {"bytes": 4, "timeout_ms": 100}}, {"set": {"linger_s": 0}},
    {"close": {}}], "on_error": "abort"})";
const char* const kClient = R"({"connect": {"to": "127.0.0.1:80", "count": 2, "interval_ms": 5,
    "timeout_ms": 100}, "steps": [{"send": {"bytes": 3}}, {"wait": "go"}, {"shutdown": "write"},
    {"sleep_ms": 1}, {"hold": {}}]})";
const char* const kProxy = R"({"proxy": {"listen": {"port": 0}, "to": "[::1]:80", "toxics": [
    {"name": "l", "type": "latency", "stream": "upstream", "toxicity": 0.5, "latency_ms": 10},
    {"name": "n", "type": "never_close"}]}})";

TEST(PeerConfig, ParsesTheScriptAndTheToxicsIntoTypes) {
  Diagnostics d;
  auto server = parse_config(line_with(kServer), d);
  ASSERT_TRUE(server) << all(d);
  EXPECT_EQ(server->script.on_error, behaviors::OnError::abort);
  EXPECT_EQ(server->script.steps.size(), 3u);
  EXPECT_EQ(server->script.options.to_json(),
            Json::parse(R"({"keepalive": {"idle_s": 1}, "nodelay": true})"));
  auto proxy = parse_config(line_with(kProxy), d);
  ASSERT_TRUE(proxy) << all(d);
  ASSERT_EQ(proxy->toxics.size(), 2u);
  EXPECT_TRUE(proxy->toxics[0].upstream);
  EXPECT_EQ(proxy->toxics[0].params->to_json()["latency_ms"], 10);
  EXPECT_EQ(proxy->toxics[1].kind->type, "never_close");
  EXPECT_EQ(endpoint_text(proxy->to), "[::1]:80");
}

TEST(PeerConfig, WhatTheRunnerWritesThePeerReadsBackTheSame) {
  for (const char* peer : {kServer, kClient, kProxy}) {
    Diagnostics d;
    auto first = parse_config(line_with(peer), d);
    ASSERT_TRUE(first) << all(d);
    const Json written = to_json(*first);
    auto again = parse_config(written, d);
    ASSERT_TRUE(again) << all(d) << written.dump();
    EXPECT_EQ(to_json(*again), written);
  }
}

// A peer in several processes: a client's further source addresses and a process's place, a
// server's listening processes; read back the same, and a place outside the peer refused.
TEST(PeerConfig, ThePlacesOfAPeerInSeveralProcessesReadBackAndAreChecked) {
  Json client = line_with(kClient);
  client["more_sources"] = {{{"v4", "127.77.4.1"}, {"v6", "fd00:5d::1:1"}}};
  client["shard"] = {{"index", 1}, {"of", 2}};
  Json server = line_with(kServer);
  server["listeners"] = 3;
  Json proxy = line_with(kProxy);  // a proxy in several processes: listeners, its other sources
  proxy["listeners"] = 2;
  proxy["more_sources"] = {{{"v4", "127.77.4.2"}, {"v6", "fd00:5d::1:2"}}};
  proxy["shard"] = {{"index", 1}, {"of", 2}};
  for (const Json& line : {client, server, proxy}) {
    Diagnostics d;
    auto config = parse_config(line, d);
    ASSERT_TRUE(config) << all(d);
    auto again = parse_config(to_json(*config), d);
    ASSERT_TRUE(again) << all(d);
    EXPECT_EQ(to_json(*again), to_json(*config));
    if (config->role == PeerConfig::Role::client) {
      ASSERT_EQ(again->more_sources.size(), 1u);
      EXPECT_EQ(again->more_sources[0].v6, "fd00:5d::1:1");
      EXPECT_EQ(again->shard, 1);
      EXPECT_EQ(again->shards, 2);
    } else if (config->role == PeerConfig::Role::server) {
      EXPECT_EQ(again->listeners, 3);
    } else {
      EXPECT_EQ(again->listeners, 2);
      ASSERT_EQ(again->more_sources.size(), 1u);
      EXPECT_EQ(again->more_sources[0].v4, "127.77.4.2");
      EXPECT_EQ(again->shard, 1);
    }
  }
  Diagnostics d;
  client["shard"] = {{"index", 2}, {"of", 2}};
  EXPECT_FALSE(parse_config(client, d));
  EXPECT_NE(all(d).find("/shard"), std::string::npos) << all(d);
  Diagnostics d2;
  server["listeners"] = 0;
  EXPECT_FALSE(parse_config(server, d2));
  EXPECT_NE(all(d2).find("/listeners"), std::string::npos) << all(d2);
}

TEST(PeerConfig, NumbersOutOfTheirFieldsRangeAreRefused) {
  Diagnostics d;
  Json line = line_with(kClient);
  line["count"] = 5'000'000'000;  // more than an int holds
  EXPECT_FALSE(parse_config(line, d));
  EXPECT_NE(all(d).find("\"count\": expected an integer from"), std::string::npos) << all(d);
}

TEST(PeerConfig, ATypeThatIsNotAStringIsADiagnostic) {
  Diagnostics d;
  EXPECT_FALSE(parse_config(Json::parse(R"({"type": {"config": true}})"), d));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.items()[0].pointer, "/type");
}

TEST(PeerConfig, AToxicTheRelayWouldOverflowOnIsRefused) {
  Diagnostics d;
  EXPECT_FALSE(parse_config(line_with(R"({"proxy": {"to": "127.0.0.1:80", "toxics": [
      {"name": "b", "type": "bandwidth", "rate_kbps": 9223372036854775807}]}})"),
                            d));
  EXPECT_EQ(all(d),
            "/toxics/0/rate_kbps: expected an integer at most 2147483647, got "
            "9223372036854775807\n");
}

// Every value of the line, in turn, replaced by a value of each JSON type.
void replace_each_value(const Json& line,
                        const std::function<void(const Json&, const std::string&)>& check) {
  const Json replacements[] = {Json::parse(R"({"x": 1})"),
                               Json::parse("[1]"),
                               "x",
                               5e20,
                               -1,
                               Json::parse("18446744073709551615"),
                               true,
                               nullptr};
  std::function<void(const Json&, const std::string&)> walk = [&](const Json& v,
                                                                  const std::string& ptr) {
    if (!ptr.empty())
      for (const Json& r : replacements) {
        Json changed = line;
        changed[Json::json_pointer(ptr)] = r;
        check(changed, ptr + " = " + r.dump());
      }
    if (v.is_object())
      for (auto& [key, child] : v.items()) walk(child, pointer_join(ptr, key));
    if (v.is_array())
      for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], pointer_join(ptr, i));
  };
  walk(line, "");
}

TEST(PeerConfig, AnyTypeAnywhereIsADiagnosticNeverAnException) {
  int lines = 0;
  for (const char* spec : {kServer, kClient, kProxy}) {
    replace_each_value(line_with(spec), [&](const Json& changed, const std::string& what) {
      Diagnostics d;
      ++lines;
      EXPECT_NO_THROW(parse_config(changed, d)) << what;
    });
  }
  EXPECT_GT(lines, 400);
}

}  // namespace
}  // namespace sockdrill::protocol
