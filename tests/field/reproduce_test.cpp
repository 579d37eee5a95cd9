// reproduce: every finding kind with a generator gives a case with the program as a command, at
// the size seen (cut, and said, past one client peer's reach); the others say why not.
#include "harness/field/reproduce/reproduce.hpp"

#include <gtest/gtest.h>

#include "tests/field/snapshot_builders.hpp"

namespace sockdrill::field {
namespace {

using testing::group;
using testing::process;
using testing::snapshot;

Finding finding(const std::string& kind, std::uint64_t count, pid_t pid = 42) {
  Finding f;
  f.kind = kind;
  f.count = count;
  f.pid = pid;
  f.process = "server 42: /usr/bin/server";
  f.evidence = {"what was seen"};
  return f;
}

TEST(Reproduce, EveryGeneratorWritesTheProgramAsACommandAtTheSizeSeen) {
  Snapshot s = snapshot({process(42, {group(TcpState::CLOSE_WAIT, 500, "127.0.0.1:80", "127.0.0.2:*")})});
  s.listeners.push_back({"127.0.0.1:80", {42}, 17, 16});
  for (const ReproducerKind& r : reproducers()) {
    const Reproduction made = r.make({s, nullptr, {}}, finding(r.finding, 500));
    const Json& c = made.case_json;
    ASSERT_TRUE(c.contains("peers")) << r.finding;
    EXPECT_TRUE(c["peers"]["program"].contains("command")) << r.finding;
    EXPECT_EQ(c["peers"]["program"]["command"]["argv"][0], "/usr/bin/python3") << r.finding;
    EXPECT_NE(c["about"].get<std::string>().find("stand-in"), std::string::npos) << r.finding;
    EXPECT_FALSE(c["expect"].empty()) << r.finding;
    if (std::string(r.finding) != "accept_queue_full") {  // that one is sized by the backlog
      EXPECT_NE(c["expect"].dump().find("500"), std::string::npos) << r.finding << ": " << c["expect"].dump();
    }
  }
}

TEST(Reproduce, PastOneClientPeersReachTheCaseIsCutAndSaysSo) {
  const Snapshot s = snapshot({process(42, {group(TcpState::CLOSE_WAIT, 40000, "127.0.0.1:80", "127.0.0.2:*")})});
  std::string why;
  const auto made = reproduce({s, nullptr, {}}, finding("forgotten_close", 40000), why);
  ASSERT_TRUE(made);
  EXPECT_NE(made->case_json["expect"].dump().find("10000"), std::string::npos);
  ASSERT_FALSE(made->assumptions.empty());
  EXPECT_EQ(made->assumptions[0], "the snapshot had 40,000 sockets; the case makes 10,000, what one client peer keeps "
                                  "under the descriptor limit");
}

TEST(Reproduce, AClientThatHoldsConnectionsItsServersClosedIsTheClientInTheCase) {
  const Snapshot s = snapshot({process(42, {group(TcpState::CLOSE_WAIT, 30, "10.0.0.1:*", "10.0.0.5:5432")})});
  std::string why;
  const auto made = reproduce({s, nullptr, {}}, finding("forgotten_close", 30), why);
  ASSERT_TRUE(made);
  EXPECT_EQ(made->case_json["peers"]["program"]["command"]["argv"][3], "{server.address}");
  EXPECT_TRUE(made->case_json["peers"].contains("server"));
}

// The side of the group decides: unread data or FIN_WAIT2 on a client's sockets make the
// program the client, with a `server` peer, and the about says how to point it there.
TEST(Reproduce, ClientSideGroupsMakeTheProgramTheClient) {
  SocketGroup unread = group(TcpState::CLOSE_WAIT, 30, "[::1]:*", "[::1]:8000");
  unread.with_unread = 30;
  unread.recv_q = 120;
  const Snapshot s = snapshot({process(42, {unread})}, {group(TcpState::FIN_WAIT2, 200, "127.0.0.1:*", "127.0.0.1:7000")});
  std::string why;
  const auto reading = reproduce({s, nullptr, {}}, finding("stopped_reading", 30), why);
  ASSERT_TRUE(reading);
  EXPECT_TRUE(reading->case_json["peers"].contains("server"));
  EXPECT_EQ(reading->case_json["peers"]["server"]["steps"][0]["send"]["bytes"], 4);
  EXPECT_EQ(reading->assumptions[0], "the snapshot's connections were IPv6 ([::1]:*); the case uses 127.0.0.1");
  EXPECT_NE(reading->case_json["about"].get<std::string>().find("{server.address}"), std::string::npos);
  const auto closing = reproduce({s, nullptr, {}}, finding("fin_wait2_pile", 200, 0), why);
  ASSERT_TRUE(closing);
  EXPECT_EQ(closing->case_json["peers"]["program"]["command"]["argv"][3], "{server.address}");
  EXPECT_EQ(closing->case_json["peers"]["server"]["steps"][0].begin().key(), "hold");
}

TEST(Reproduce, AKindWithoutAGeneratorSaysWhichCaseShowsIt) {
  Finding f = finding("a_kind_to_come", 300, 0);
  f.example_case = "cases/last_ack/final_ack_lost.json";
  std::string why;
  EXPECT_FALSE(reproduce({snapshot({}), nullptr, {}}, f, why));
  EXPECT_EQ(why, "no case generator for a_kind_to_come yet; cases/last_ack/final_ack_lost.json shows the mechanism");
}

// Orphans belong to no process: the state that dominates decides which close the case makes.
TEST(Reproduce, OrphansInLastAckComeFromClientsThatCloseFirstAndLostFinalAcks) {
  const Snapshot s = snapshot({}, {group(TcpState::LAST_ACK, 300, "127.0.0.1:7000", "127.0.0.1:*"),
                                   group(TcpState::FIN_WAIT1, 20, "127.0.0.1:7000", "127.0.0.1:*")});
  std::string why;
  const auto made = reproduce({s, nullptr, {}}, finding("orphans", 320, 0), why);
  ASSERT_TRUE(made) << why;
  const Json& c = made->case_json;
  EXPECT_EQ(c["peers"]["clients"]["steps"][0]["wait"], "clients_close");
  EXPECT_EQ(c["timeline"][1]["fault"]["drop"]["flags"], Json::array({"ack"}));
  EXPECT_NE(c["expect"].dump().find("LAST_ACK"), std::string::npos) << c["expect"].dump();
  EXPECT_EQ(c["expect"].dump().find("FIN_WAIT1"), std::string::npos) << c["expect"].dump();

  const Snapshot fin_wait1 = snapshot({}, {group(TcpState::FIN_WAIT1, 300, "127.0.0.1:7000", "127.0.0.1:*")});
  const auto closing = reproduce({fin_wait1, nullptr, {}}, finding("orphans", 300, 0), why);
  ASSERT_TRUE(closing) << why;
  EXPECT_NE(closing->case_json["expect"].dump().find("FIN_WAIT1"), std::string::npos);
  EXPECT_EQ(closing->case_json["peers"]["clients"]["steps"][0].begin().key(), "hold");
}

}  // namespace
}  // namespace sockdrill::field
