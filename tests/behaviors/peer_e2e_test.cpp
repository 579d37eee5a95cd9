// sockdrill-peer end to end: a server and a client process driven over the line protocol.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/behaviors/peer_process.hpp"
#include "tests/behaviors/test_support.hpp"

namespace sockdrill::testing {
namespace {

class PeerE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!enter_private_network())
      std::fprintf(stderr, "note: no private network namespace; using the host's loopback\n");
    raise_fd_limit();
  }

  // Starts a server with `spec` and returns its port once it is ready.
  int start_server(PeerProcess& server, const Json& spec) {
    server.config(spec, "server");
    auto bound = server.until_type("bound");
    EXPECT_TRUE(bound) << "no bound line from the server";
    EXPECT_TRUE(server.until_type("ready")) << "server not ready";
    return bound ? (*bound)["port"].get<int>() : 0;
  }
  static Json client_spec(int port, const Json& steps, int count = 1, int timeout_ms = 1000) {
    return {{"connect",
             {{"to", "127.0.0.1:" + std::to_string(port)},
              {"count", count},
              {"timeout_ms", timeout_ms}}},
            {"steps", steps}};
  }
  static bool is_event(const Json& j, const char* kind) {
    return j["type"] == "event" && j["kind"] == kind;
  }
};

TEST_F(PeerE2E, ServerAndClientExchangeAndClose) {
  PeerProcess server, client;
  int port = start_server(server, Json::parse(R"({"listen": {"address": "127.0.0.1", "port": 0},
      "steps": [{"send": "hi"}, {"recv": {"bytes": 3, "timeout_ms": 2000}}, {"close": {}}]})"));
  ASSERT_GT(port, 0);
  // Server order: bound, then listening, then ready.
  int bound_at = server.index_of([](const Json& j) { return j["type"] == "bound"; });
  int listening_at = server.index_of([&](const Json& j) { return is_event(j, "listening"); });
  int ready_at = server.index_of([](const Json& j) { return j["type"] == "ready"; });
  EXPECT_TRUE(bound_at >= 0 && bound_at < listening_at && listening_at < ready_at);
  EXPECT_EQ(server.lines[listening_at]["local"], "127.0.0.1:" + std::to_string(port));

  client.config(
      client_spec(
          port,
          Json::parse(
              R"([{"recv": {"bytes": 2, "timeout_ms": 2000}}, {"send": "abc"}, {"recv": {"until": "eof", "timeout_ms": 2000}}])")),
      "client");
  ASSERT_TRUE(client.until_type("ready"));
  std::int64_t t0 = monotonic_ns();
  server.start(t0);
  client.start(t0);

  ASSERT_TRUE(client.until_event("closed")) << "client lines: " << Json(client.lines).dump();
  ASSERT_TRUE(server.until_event("closed")) << "server lines: " << Json(server.lines).dump();

  auto connected = client.events("connected");
  ASSERT_EQ(connected.size(), 1u);
  EXPECT_EQ(connected[0]["conn"], 0);
  EXPECT_EQ(connected[0]["remote"], "127.0.0.1:" + std::to_string(port));
  EXPECT_GE(connected[0]["t_ns"].get<std::int64_t>(), t0);
  // A client announces nothing per connection: the runner knows it by its source address.
  EXPECT_EQ(client.index_of([](const Json& j) { return j["type"] == "bound"; }), -1);
  const std::string local = connected[0]["local"];
  ASSERT_EQ(local.rfind("127.0.0.1:", 0), 0u) << local;
  int client_port = std::stoi(local.substr(10));

  auto accepted = server.events("accepted");
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0]["remote"], "127.0.0.1:" + std::to_string(client_port));
  EXPECT_EQ(server.events("sent").at(0)["bytes"], 2);
  EXPECT_EQ(server.events("received").at(0)["bytes"], 3);
  EXPECT_EQ(server.events("closed").at(0)["detail"], "close");
  EXPECT_EQ(client.events("received").at(0)["bytes"], 2);
  EXPECT_EQ(client.events("sent").at(0)["bytes"], 3);
  EXPECT_EQ(client.events("eof").size(), 1u);
}

// The runner gives each client a source address of its own so packet rules can name it.
TEST_F(PeerE2E, ClientBindsTheSourceAddressTheRunnerGives) {
  PeerProcess server, client;
  int port = start_server(server, Json::parse(R"({"listen": {"address": "127.0.0.1", "port": 0},
      "steps": [{"hold": {}}]})"));
  ASSERT_GT(port, 0);
  Json line = config_line(client_spec(port, Json::parse(R"([{"hold": {}}])")), "client");
  line["source"] = {{"v4", "127.77.0.9"}, {"v6", "::1"}};
  client.send(line);
  ASSERT_TRUE(client.until_type("ready"));
  std::int64_t t0 = monotonic_ns();
  server.start(t0);
  client.start(t0);
  ASSERT_TRUE(client.until_event("connected")) << Json(client.lines).dump();
  EXPECT_EQ(client.events("connected").at(0)["local"].get<std::string>().rfind("127.77.0.9:", 0), 0u);
  ASSERT_TRUE(server.until_event("accepted"));
  EXPECT_EQ(server.events("accepted").at(0)["remote"].get<std::string>().rfind("127.77.0.9:", 0), 0u);
}

// A client past one process's connections runs as several processes (peers/shards.hpp): every
// connection from its process's own address, each index once, one ready and one synced for
// all, and none of them left when the peer ends.
TEST_F(PeerE2E, AClientInSeveralProcessesActsAsOnePeer) {
  PeerProcess server, client;
  int port = start_server(server, Json::parse(R"({"listen": {"address": "127.0.0.1", "port": 0},
      "steps": [{"recv": {"until": "eof", "timeout_ms": 20000}}]})"));
  ASSERT_GT(port, 0);
  Json line = config_line(client_spec(port, Json::parse(R"([{"hold": {}}])"), 9), "client");
  line["source"] = {{"v4", "127.77.0.9"}, {"v6", "::1"}};
  line["more_sources"] = {{{"v4", "127.77.4.9"}, {"v6", "::1"}}, {{"v4", "127.77.8.9"}, {"v6", "::1"}}};
  client.send(line);
  ASSERT_TRUE(client.until_type("ready")) << Json(client.lines).dump();
  std::int64_t t0 = monotonic_ns();
  server.start(t0);
  client.start(t0);
  int connected = 0;
  client.until([&](const Json& j) { return is_event(j, "connected") && ++connected == 9; });
  ASSERT_EQ(connected, 9) << Json(client.lines).dump();
  const char* addresses[] = {"127.77.0.9:", "127.77.4.9:", "127.77.8.9:"};
  std::set<int> conns;
  for (const Json& e : client.events("connected")) {
    const int conn = e["conn"].get<int>();
    conns.insert(conn);
    EXPECT_EQ(e["local"].get<std::string>().rfind(addresses[conn % 3], 0), 0u) << e.dump();
  }
  EXPECT_EQ(conns.size(), 9u);
  client.send({{"type", "sync"}, {"id", 7}});
  auto synced = client.until_type("synced");
  ASSERT_TRUE(synced);
  EXPECT_EQ((*synced)["id"], 7);
  EXPECT_LE((*synced)["t_ns"].get<std::int64_t>(), monotonic_ns());
  client.until([](const Json&) { return false; }, 200);
  int readies = 0, synceds = 0;
  for (const Json& j : client.lines) {
    readies += j["type"] == "ready";
    synceds += j["type"] == "synced";
  }
  EXPECT_EQ(readies, 1);
  EXPECT_EQ(synceds, 1);
  // The end of stdin ends the peer and its other processes: every connection reaches EOF.
  client.close_stdin();
  EXPECT_EQ(client.wait_exit(3000), 0);
  int eofs = 0;
  server.until([&](const Json& j) { return is_event(j, "eof") && ++eofs == 9; }, 5000);
  EXPECT_EQ(eofs, 9) << Json(server.lines).dump();
}

// A server past one process's connections listens in several processes on one port
// (SO_REUSEPORT): one `bound`, one `ready`, a `listening` event per process, every accepted
// connection numbered once, and the others end with it.
TEST_F(PeerE2E, AServerInSeveralProcessesListensOnOnePort) {
  PeerProcess server, client;
  Json line = config_line(Json::parse(R"({"listen": {"address": "127.0.0.1", "port": 0},
      "steps": [{"hold": {}}]})"), "server");
  line["listeners"] = 3;
  server.send(line);
  auto ready = server.until_type("ready");
  ASSERT_TRUE(ready) << Json(server.lines).dump();
  int bounds = 0;
  int port = 0;
  for (const Json& j : server.lines)
    if (j["type"] == "bound") ++bounds, port = j["port"].get<int>();
  EXPECT_EQ(bounds, 1);
  ASSERT_GT(port, 0);
  client.config(client_spec(port, Json::parse(R"([{"recv": {"until": "eof", "timeout_ms": 20000}}])"), 60),
                "client");
  ASSERT_TRUE(client.until_type("ready"));
  std::int64_t t0 = monotonic_ns();
  server.start(t0);
  client.start(t0);
  int accepted = 0;
  server.until([&](const Json& j) { return is_event(j, "accepted") && ++accepted == 60; });
  ASSERT_EQ(accepted, 60) << Json(server.lines).dump();
  EXPECT_EQ(server.events("listening").size(), 3u);
  std::set<int> conns;
  for (const Json& e : server.events("accepted")) conns.insert(e["conn"].get<int>());
  EXPECT_EQ(conns.size(), 60u);
  server.close_stdin();
  EXPECT_EQ(server.wait_exit(3000), 0);
  int eofs = 0;
  client.until([&](const Json& j) { return is_event(j, "eof") && ++eofs == 60; }, 5000);
  EXPECT_EQ(eofs, 60) << "every connection ends with the server's processes";
}

TEST_F(PeerE2E, AProxyInSeveralProcessesRelaysFromEachOnesAddressAndTakesEveryToxicChange) {
  PeerProcess server, proxy, client;
  int server_port = start_server(server, Json::parse(R"({"listen": {"port": 0}, "steps": [{"hold": {}}]})"));
  ASSERT_GT(server_port, 0);
  Json line = config_line({{"proxy", {{"to", "127.0.0.1:" + std::to_string(server_port)}}}}, "relay");
  line["listeners"] = 3;
  line["source"] = {{"v4", "127.77.0.9"}, {"v6", "::"}};
  line["more_sources"] = Json::parse(R"([{"v4": "127.77.4.9", "v6": "::"}, {"v4": "127.77.8.9", "v6": "::"}])");
  proxy.send(line);
  ASSERT_TRUE(proxy.until_type("ready")) << Json(proxy.lines).dump();
  int bounds = 0, port = 0;
  for (const Json& j : proxy.lines)
    if (j["type"] == "bound") ++bounds, port = j["port"].get<int>();
  EXPECT_EQ(bounds, 1);
  EXPECT_EQ(proxy.events("listening").size(), 3u);
  ASSERT_GT(port, 0);
  client.config(client_spec(port, Json::parse(R"([{"recv": {"until": "eof", "timeout_ms": 20000}}])"), 60),
                "client");
  ASSERT_TRUE(client.until_type("ready"));
  const std::int64_t t0 = monotonic_ns();
  for (PeerProcess* p : {&server, &proxy, &client}) p->start(t0);
  int accepted = 0;
  server.until([&](const Json& j) { return is_event(j, "accepted") && ++accepted == 60; }, 10000);
  ASSERT_EQ(accepted, 60) << Json(server.lines).dump();
  // Upstream connections come from each process's own address; the relay numbers each once.
  std::set<std::string> sources;
  for (const Json& e : server.events("accepted")) {
    const std::string remote = e["remote"].get<std::string>();
    sources.insert(remote.substr(0, remote.find(':')));
  }
  for (const std::string& a : sources) EXPECT_TRUE(a == "127.77.0.9" || a == "127.77.4.9" || a == "127.77.8.9") << a;
  EXPECT_GE(sources.size(), 2u) << "60 connections over 3 listeners all reached one";
  int connected = 0;
  proxy.until([&](const Json& j) { return is_event(j, "connected") && ++connected == 60; }, 5000);
  std::set<int> conns;
  for (const Json& e : proxy.events("accepted")) conns.insert(e["conn"].get<int>());
  EXPECT_EQ(conns.size(), 60u);
  // The client's own connect() calls must have returned too: a reset that beats one is its
  // connect_failed (ECONNRESET), not the error this test counts.
  int client_connected = 0;
  client.until([&](const Json& j) { return is_event(j, "connected") && ++client_connected == 60; }, 5000);
  ASSERT_EQ(client_connected, 60);
  // A toxic added on the way reaches every process: every client connection is reset at once.
  proxy.send(Json::parse(R"({"type": "toxic", "add": {"name": "cut", "type": "reset_peer"}})"));
  std::set<int> ended;
  client.until([&](const Json& j) {
    if (j["type"] == "event" && j.contains("conn") && (j["kind"] == "error" || j["kind"] == "eof"))
      ended.insert(j["conn"].get<int>());
    return ended.size() == 60;
  }, 10000);
  EXPECT_EQ(ended.size(), 60u) << "connections of a process that never got the toxic stay open";
  proxy.close_stdin();
  EXPECT_EQ(proxy.wait_exit(3000), 0);
}

TEST_F(PeerE2E, BindFailedOnAPortInUseThenReady) {
  PeerProcess first, second;
  int port = start_server(first, Json::parse(R"({"listen": {"port": 0}, "steps": []})"));
  second.config({{"listen", {{"port", port}}}}, "second");
  auto failed = second.until_event("bind_failed");
  ASSERT_TRUE(failed) << Json(second.lines).dump();
  EXPECT_EQ((*failed)["errno"], "EADDRINUSE");
  EXPECT_TRUE(second.until_type("ready"));
  EXPECT_TRUE(second.events("listening").empty());
}

TEST_F(PeerE2E, ConnectRefusedAndNoRetry) {
  int port = 0;
  {
    PeerProcess gone;  // learn a free port, then let it go
    port = start_server(gone, Json::parse(R"({"listen": {"port": 0}})"));
  }
  ::usleep(50000);
  PeerProcess client;
  client.config(client_spec(port, Json::array()), "client");
  client.start(monotonic_ns());
  auto failed = client.until_event("connect_failed");
  ASSERT_TRUE(failed) << Json(client.lines).dump();
  EXPECT_EQ((*failed)["errno"], "ECONNREFUSED");
  client.until([](const Json&) { return false; }, 200);
  EXPECT_EQ(client.events("connect_failed").size(), 1u) << "no retries";
  EXPECT_TRUE(client.events("connected").empty());
}

TEST_F(PeerE2E, ConnectTimeoutIsEtimedoutWhenTheAcceptQueueIsFull) {
  PeerProcess server, client;
  int port = start_server(
      server, Json::parse(R"({"listen": {"port": 0, "backlog": 1, "accept": "never"}})"));
  // backlog 1 queues two connections; the kernel drops the third one's SYNs.
  client.config(client_spec(port, Json::parse(R"([{"hold": {}}])"), 3, 300), "client");
  client.start(monotonic_ns());
  auto failed = client.until_event("connect_failed", 5000);
  ASSERT_TRUE(failed) << Json(client.lines).dump();
  EXPECT_EQ((*failed)["errno"], "ETIMEDOUT");
  EXPECT_EQ(client.events("connected").size(), 2u);
  EXPECT_TRUE(server.events("accepted").empty());
}

TEST_F(PeerE2E, AcceptOnCueWaitsForTheCue) {
  PeerProcess server, client;
  int port =
      start_server(server, Json::parse(R"({"listen": {"port": 0, "accept": {"on_cue": "open"}}})"));
  client.config(client_spec(port, Json::parse(R"([{"hold": {}}])")), "client");
  std::int64_t t0 = monotonic_ns();
  server.start(t0);
  client.start(t0);
  ASSERT_TRUE(client.until_event("connected"));
  EXPECT_FALSE(server.until_event("accepted", 200)) << "accepted before the cue";
  server.send({{"type", "cue"}, {"name", "open"}});
  auto accepted = server.until_event("accepted");
  ASSERT_TRUE(accepted);
  EXPECT_EQ((*accepted)["conn"], 0);
}

TEST_F(PeerE2E, AcceptAfterMsCountsFromT0) {
  PeerProcess server, client;
  int port =
      start_server(server, Json::parse(R"({"listen": {"port": 0, "accept": {"after_ms": 150}}})"));
  client.config(client_spec(port, Json::parse(R"([{"hold": {}}])")), "client");
  std::int64_t t0 = monotonic_ns();
  server.start(t0);
  client.start(t0);
  auto accepted = server.until_event("accepted");
  ASSERT_TRUE(accepted);
  EXPECT_GE((*accepted)["t_ns"].get<std::int64_t>(), t0 + 150'000'000);
}

TEST_F(PeerE2E, Ipv6ServerAndClient) {
  PeerProcess server, client;
  int port = start_server(server, Json::parse(R"({"listen": {"address": "::1", "port": 0}})"));
  if (!server.events("bind_failed").empty()) GTEST_SKIP() << "no IPv6 loopback here";
  EXPECT_EQ(server.events("listening").at(0)["local"], "[::1]:" + std::to_string(port));
  client.config({{"connect", {{"to", "[::1]:" + std::to_string(port)}}}, {"steps", Json::array()}});
  client.start(monotonic_ns());
  auto connected = client.until_event("connected");
  ASSERT_TRUE(connected) << Json(client.lines).dump();
  EXPECT_EQ((*connected)["local"].get<std::string>().rfind("[::1]:", 0), 0u) << *connected;
  EXPECT_TRUE(server.until_event("accepted"));
}

TEST_F(PeerE2E, ClientsStartAtT0GivenInTheConfigAndKeepTheInterval) {
  PeerProcess server, client;
  int port = start_server(server, Json::parse(R"({"listen": {"port": 0}})"));
  std::int64_t t0 = monotonic_ns();
  // A peer with start_ms: t = 0 passed already, no start line follows.
  Json line = config_line(
      {{"connect", {{"to", "127.0.0.1:" + std::to_string(port)}, {"count", 2}, {"interval_ms", 100}}}},
      "late");
  line["t0_ns"] = t0;
  client.send(line);
  int connected = 0;
  ASSERT_TRUE(client.until([&](const Json& j) {
    return is_event(j, "connected") && ++connected == 2;
  })) << Json(client.lines).dump();
  auto both = client.events("connected");
  EXPECT_EQ(both[1]["conn"], 1);
  EXPECT_GE(both[1]["t_ns"].get<std::int64_t>(), t0 + 100'000'000) << "interval_ms not kept";
}

// Leaves a TIME_WAIT socket on a local port (its side closed first) and returns the port. It
// has SO_REUSEADDR, as a previous run of a server would: Linux lets a new socket bind over
// it only when both ask for reuse.
int port_in_time_wait() {
  auto [near, far] = loopback_pair(true);
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(far, reinterpret_cast<sockaddr*>(&a), &len);  // the listener's port
  ::close(far);  // the accepted side closes first: it goes to TIME_WAIT on that port
  char buf[4];
  recv_within(near, buf, sizeof buf, 1000);
  ::close(near);
  ::usleep(20000);
  return ntohs(a.sin_port);
}

TEST_F(PeerE2E, ReuseaddrOnlyWhenAsked) {
  int port = port_in_time_wait();
  PeerProcess plain, reusing;
  plain.config({{"listen", {{"port", port}}}});
  auto failed = plain.until_event("bind_failed");
  ASSERT_TRUE(failed) << "bound over a TIME_WAIT socket without SO_REUSEADDR: "
                      << Json(plain.lines).dump();
  EXPECT_EQ((*failed)["errno"], "EADDRINUSE");
  reusing.config({{"listen", {{"port", port}, {"reuseaddr", true}}}});
  ASSERT_TRUE(reusing.until_event("listening")) << Json(reusing.lines).dump();
}

TEST_F(PeerE2E, StdinEndExitsAtOnce) {
  PeerProcess server;
  start_server(server, Json::parse(R"({"listen": {"port": 0}})"));
  server.close_stdin();
  EXPECT_EQ(server.wait_exit(3000), 0);
}

TEST_F(PeerE2E, MalformedConfigIsFatalWithExit70) {
  PeerProcess bad;
  bad.config(Json::parse(R"({"listen": {"port": 0}, "steps": [{"sned": "x"}]})"));
  auto fatal = bad.until_type("fatal");
  ASSERT_TRUE(fatal);
  EXPECT_NE((*fatal)["message"].get<std::string>().find("/steps/0/sned"), std::string::npos)
      << (*fatal)["message"];
  EXPECT_EQ(bad.wait_exit(3000), 70);

  PeerProcess garbage;
  garbage.send_raw("this is not json\n");
  EXPECT_TRUE(garbage.until_type("fatal"));
  EXPECT_EQ(garbage.wait_exit(3000), 70);
}

TEST_F(PeerE2E, ControlLinesOfAnyShapeAreFatalNotACrash) {
  // A proxy's "toxic add" is parsed as a case's toxic: a latency the relay would overflow on is
  // refused with its bound.
  PeerProcess proxy;
  proxy.config(Json::parse(R"({"proxy": {"to": "127.0.0.1:9"}})"));
  ASSERT_TRUE(proxy.until_type("ready"));
  proxy.send(Json::parse(R"({"type": "toxic", "add": {"name": "l", "type": "latency",
                                                       "latency_ms": 9223372036854775807}})"));
  auto fatal = proxy.until_type("fatal");
  ASSERT_TRUE(fatal);
  EXPECT_EQ((*fatal)["message"],
            "unusable line from the runner: toxic: \"add\": /add/latency_ms: expected an integer "
            "at most 2147483647, got 9223372036854775807");
  EXPECT_EQ(proxy.wait_exit(3000), 70);

  PeerProcess server;
  start_server(server, Json::parse(R"({"listen": {"port": 0}})"));
  server.send(Json::parse(R"({"type": {"start": 1}})"));
  auto refused = server.until_type("fatal");
  ASSERT_TRUE(refused);
  // The line is refused as a line, not by an exception escaping into the event loop.
  EXPECT_TRUE((*refused)["message"].get<std::string>().starts_with(
      "unusable line from the runner: runner line: \"type\": expected a string"))
      << (*refused)["message"];
  EXPECT_EQ(server.wait_exit(3000), 70);
}

TEST_F(PeerE2E, TenThousandClientConnections) {
  constexpr int kCount = 10000;
  PeerProcess server, client;
  int port = start_server(server, Json::parse(R"({"listen": {"port": 0, "backlog": 4096},
      "steps": [{"send": "x"}]})"));
  ASSERT_GT(port, 0);
  client.config(
      client_spec(port, Json::parse(R"([{"recv": {"until": "eof", "timeout_ms": 30000}}])"), kCount,
                  30000),
      "client");
  std::int64_t t0 = monotonic_ns();
  server.start(t0);
  client.start(t0);
  // Both peers' output is read as it comes: a peer blocks when its stdout pipe is full.
  int closed = 0;
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (closed < kCount && std::chrono::steady_clock::now() < end) {
    server.until([](const Json&) { return false; }, 0);
    client.until(
        [&](const Json& j) {
          if (j["type"] == "event" && (j["kind"] == "closed" || j["kind"] == "connect_failed"))
            ++closed;
          return closed == kCount;
        },
        20);
  }
  ASSERT_EQ(closed, kCount) << "connections that ended in time";
  EXPECT_TRUE(client.events("connect_failed").empty())
      << client.events("connect_failed").size()
      << " failed, first: " << client.events("connect_failed")[0];
  EXPECT_EQ(client.events("connected").size(), static_cast<std::size_t>(kCount));
  EXPECT_EQ(client.events("eof").size(), static_cast<std::size_t>(kCount));
  // Every connection has an index of its own (ports repeat: a closed one may be reused).
  std::set<int> conns;
  for (const Json& j : client.events("connected")) conns.insert(j["conn"].get<int>());
  EXPECT_EQ(conns.size(), static_cast<std::size_t>(kCount));
  server.until([](const Json&) { return false; }, 200);
  EXPECT_EQ(server.events("accepted").size(), static_cast<std::size_t>(kCount));
  EXPECT_EQ(server.events("sent").size(), static_cast<std::size_t>(kCount));
}

}  // namespace
}  // namespace sockdrill::testing
