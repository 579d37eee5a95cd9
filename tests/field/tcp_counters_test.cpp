// Pairing the name and value lines of /proc/net/netstat and /proc/net/snmp.
#include "common/tcp_counters.hpp"

#include <gtest/gtest.h>

namespace sockdrill {
namespace {

TEST(TcpCounters, NamesArePrefixedAsNstatDoes) {
  std::map<std::string, std::int64_t> out;
  parse_proc_counters(
      "TcpExt: SyncookiesSent ListenOverflows ListenDrops\n"
      "TcpExt: 0 12 13\n"
      "IpExt: InNoRoutes InTruncatedPkts\n"
      "IpExt: 1 2\n",
      out);
  EXPECT_EQ(out.at("TcpExtListenOverflows"), 12);
  EXPECT_EQ(out.at("TcpExtListenDrops"), 13);
  EXPECT_EQ(out.count("IpExtInNoRoutes"), 0u);  // only TCP's
}

TEST(TcpCounters, SnmpTcpLineAndNegativeValues) {
  std::map<std::string, std::int64_t> out;
  parse_proc_counters(
      "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
      "Tcp: RtoAlgorithm MaxConn ActiveOpens OutRsts\nTcp: 1 -1 40 7\n",
      out);
  EXPECT_EQ(out.at("TcpMaxConn"), -1);
  EXPECT_EQ(out.at("TcpOutRsts"), 7);
  EXPECT_EQ(out.size(), 4u);
}

TEST(TcpCounters, LinesThatDoNotPairAreSkipped) {
  std::map<std::string, std::int64_t> out;
  parse_proc_counters("TcpExt: A B\nTcpExt: 1\nTcp: C\nTcp: x\n", out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace sockdrill
