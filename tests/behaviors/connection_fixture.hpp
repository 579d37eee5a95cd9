// A Connection under test on one end of a loopback pair, the other end a plain blocking socket.
#pragma once
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <memory>

#include "behaviors/script.hpp"
#include "tests/behaviors/test_support.hpp"

namespace sockdrill::testing {

// A script as a peer object holds it; fails the test when it does not parse.
inline behaviors::Script script_of(const char* steps, const char* on_error = "close",
                                   const char* options = "{}") {
  Diagnostics d;
  behaviors::ParseContext ctx{d, {}};
  Json peer = {
      {"options", Json::parse(options)}, {"steps", Json::parse(steps)}, {"on_error", on_error}};
  auto script = behaviors::Script::parse(peer, "/peers/p", ctx);
  EXPECT_TRUE(script && d.ok()) << (d.ok() ? ""
                                           : d.items()[0].pointer + ": " + d.items()[0].message);
  return script ? *script : behaviors::Script{};
}

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto [near, far] = loopback_pair();
    other = far;
    conn = std::make_unique<behaviors::Connection>(io.get_executor(), near, 0, sink, cues);
  }
  void TearDown() override {
    if (other >= 0) ::close(other);
    if (conn && conn->held_fd() >= 0) ::close(conn->held_fd());
  }

  // Parses the script, applies its options and runs its steps to the end (bounded).
  void run(const char* steps, const char* on_error = "close", const char* options = "{}") {
    script = script_of(steps, on_error, options);
    behaviors::apply_options(script.options, *conn);
    start();
    ASSERT_TRUE(run_until(io, [&] { return finished; }))
        << "steps did not finish: " << sink.kinds();
  }
  // Starts the steps without waiting for them.
  void start() {
    finished = false;
    boost::asio::co_spawn(io, behaviors::run_steps(script, *conn), [this](std::exception_ptr e) {
      finished = true;
      if (e) std::rethrow_exception(e);
    });
  }
  // The one event of `kind` (fails the test when there is not exactly one).
  const behaviors::Event& only(const std::string& kind) {
    auto all = sink.of(kind);
    EXPECT_EQ(all.size(), 1u) << "events: " << sink.kinds();
    static behaviors::Event none;
    return all.empty() ? none : *all.front();
  }

  boost::asio::io_context io;
  CollectingSink sink;
  behaviors::CueBoard cues;
  behaviors::Script script;
  std::unique_ptr<behaviors::Connection> conn;
  int other = -1;
  bool finished = false;
};

}  // namespace sockdrill::testing
