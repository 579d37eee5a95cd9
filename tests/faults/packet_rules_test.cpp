// Unit tests of match_expressions: every MATCH shape to its exact nft expression text.
#include "harness/faults/packet_rules.hpp"
#include "tests/faults/match_json.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace sockdrill {
namespace {

using Exprs = std::vector<std::string>;

const std::map<std::string, PeerIdentity> kPeers = {
    {"client", {"127.77.0.1", "", -1, "", "", {}, {}}},
    {"dual", {"127.77.0.2", "fd00:5d::2", -1, "", "", {}, {}}},
    {"client6", {"", "fd00:5d::3", -1, "", "", {}, {}}},
    {"server", {"127.0.0.1", "", 8080, "", "", {}, {}}},
    {"server6", {"", "::1", 9090, "", "", {}, {}}},
    {"any", {"", "", 7070, "", "", {}, {}}},
    {"pending", {"", "", -1, "", "", {}, {}}},
    {"relay", {"127.0.0.1", "", 6060, "127.77.0.4", "", {}, {}}},
    {"many", {"127.77.0.5", "fd00:5d::5", -1, "", "", {"127.77.4.5", "127.77.8.5"}, {"fd00:5d::1:5"}}},
    {"relays", {"127.0.0.1", "", 5050, "127.77.0.6", "", {"127.77.4.6"}, {}}},
};

Exprs of(const char* match) { return match_expressions(match_of(match), kPeers); }

std::string error_of(const char* match) {
  try {
    of(match);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(MatchExpressions, EmptyMatchIsEveryTcpPacket) { EXPECT_EQ(of("{}"), Exprs{"meta l4proto tcp"}); }

TEST(MatchExpressions, FromClient) {
  EXPECT_EQ(of(R"({"from": "client"})"), Exprs{"meta l4proto tcp ip saddr 127.77.0.1"});
}

// A client running as several processes: every one of its addresses, as an anonymous set.
TEST(MatchExpressions, AClientInSeveralProcessesIsAnyOfItsAddresses) {
  EXPECT_EQ(of(R"({"from": "many"})"),
            (Exprs{"meta l4proto tcp ip saddr { 127.77.0.5, 127.77.4.5, 127.77.8.5 }",
                   "meta l4proto tcp ip6 saddr { fd00:5d::5, fd00:5d::1:5 }"}));
}

TEST(MatchExpressions, ToClient) {
  EXPECT_EQ(of(R"({"to": "client"})"), Exprs{"meta l4proto tcp ip daddr 127.77.0.1"});
}

TEST(MatchExpressions, AProxyIsItsListenerAndItsUpstreamSource) {
  EXPECT_EQ(of(R"({"from": "relay", "to": "server"})"),
            (Exprs{"meta l4proto tcp ip saddr 127.0.0.1 tcp sport 6060 ip daddr 127.0.0.1 tcp dport 8080",
                   "meta l4proto tcp ip saddr 127.77.0.4 ip daddr 127.0.0.1 tcp dport 8080"}));
}

TEST(MatchExpressions, AProxyInSeveralProcessesIsAnyOfItsUpstreamSources) {
  EXPECT_EQ(of(R"({"from": "relays", "to": "server"})"),
            (Exprs{"meta l4proto tcp ip saddr 127.0.0.1 tcp sport 5050 ip daddr 127.0.0.1 tcp dport 8080",
                   "meta l4proto tcp ip saddr { 127.77.0.6, 127.77.4.6 } ip daddr 127.0.0.1 tcp dport 8080"}));
}

TEST(MatchExpressions, ToServer) {
  EXPECT_EQ(of(R"({"to": "server"})"), Exprs{"meta l4proto tcp ip daddr 127.0.0.1 tcp dport 8080"});
}

TEST(MatchExpressions, FromServer) {
  EXPECT_EQ(of(R"({"from": "server"})"), Exprs{"meta l4proto tcp ip saddr 127.0.0.1 tcp sport 8080"});
}

TEST(MatchExpressions, FromClientToServer) {
  EXPECT_EQ(of(R"({"from": "client", "to": "server"})"),
            Exprs{"meta l4proto tcp ip saddr 127.77.0.1 ip daddr 127.0.0.1 tcp dport 8080"});
}

TEST(MatchExpressions, SingleFlag) {
  EXPECT_EQ(of(R"({"from": "client", "flags": ["syn"]})"),
            Exprs{"meta l4proto tcp ip saddr 127.77.0.1 tcp flags & syn == syn"});
}

TEST(MatchExpressions, SeveralFlagsMeanAllOfThem) {
  EXPECT_EQ(of(R"({"flags": ["fin", "ack"]})"), Exprs{"meta l4proto tcp tcp flags & (fin|ack) == fin|ack"});
}

TEST(MatchExpressions, EmptyFlagsIsNoFlagCondition) {
  EXPECT_EQ(of(R"({"flags": []})"), Exprs{"meta l4proto tcp"});
}

TEST(MatchExpressions, WildcardServerByPortInBothFamilies) {
  EXPECT_EQ(of(R"({"to": "any"})"), Exprs{"meta l4proto tcp tcp dport 7070"});
  EXPECT_EQ(of(R"({"from": "any", "to": "client"})"),
            Exprs{"meta l4proto tcp tcp sport 7070 ip daddr 127.77.0.1"});
}

TEST(MatchExpressions, DualStackClientGivesOneRulePerFamily) {
  EXPECT_EQ(of(R"({"from": "dual", "to": "any"})"),
            (Exprs{"meta l4proto tcp ip saddr 127.77.0.2 tcp dport 7070",
                   "meta l4proto tcp ip6 saddr fd00:5d::2 tcp dport 7070"}));
  // Toward an IPv4-only server only the IPv4 address can take part.
  EXPECT_EQ(of(R"({"from": "dual", "to": "server"})"),
            Exprs{"meta l4proto tcp ip saddr 127.77.0.2 ip daddr 127.0.0.1 tcp dport 8080"});
}

TEST(MatchExpressions, Ipv6) {
  EXPECT_EQ(of(R"({"from": "server6", "to": "client6", "flags": ["syn", "ack"]})"),
            Exprs{"meta l4proto tcp ip6 saddr ::1 tcp sport 9090 ip6 daddr fd00:5d::3 "
                  "tcp flags & (syn|ack) == syn|ack"});
}

TEST(MatchExpressions, FamiliesThatNeverMeetMatchNothing) {
  EXPECT_EQ(of(R"({"from": "client", "to": "server6"})"), Exprs{});
}

TEST(MatchExpressions, UnknownPeerIsNamed) {
  EXPECT_NE(error_of(R"({"from": "ghost"})").find("\"ghost\""), std::string::npos);
  EXPECT_NE(error_of(R"({"to": "ghost"})").find("unknown peer"), std::string::npos);
}

TEST(MatchExpressions, PeerWithoutIdentityIsNamed) {
  const std::string message = error_of(R"({"to": "pending"})");
  EXPECT_NE(message.find("\"pending\""), std::string::npos) << message;
  EXPECT_NE(message.find("no identity"), std::string::npos) << message;
}

TEST(MatchExpressions, BadFlagIsRefused) {
  EXPECT_NE(error_of(R"({"flags": ["urg"]})").find("\"urg\""), std::string::npos);
}

TEST(MatchExpressions, AddressesAreCheckedBeforeReachingNft) {
  const std::map<std::string, PeerIdentity> evil = {{"x", {"1.2.3.4; flush ruleset", "", -1, "", "", {}, {}}}};
  EXPECT_THROW(match_expressions(match_of(R"({"from": "x"})"), evil), std::invalid_argument);
}

}  // namespace
}  // namespace sockdrill
