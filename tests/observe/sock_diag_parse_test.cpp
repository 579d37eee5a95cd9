// The sock_diag datagram parser on crafted buffers: socket records, their fields and states.
#include "harness/observe/sock_diag_parse.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>

#include "tests/observe/netlink_datagram.hpp"

namespace {

using sockdrill::ChunkContext;
using sockdrill::ChunkResult;
using sockdrill::SocketRecord;
using sockdrill::TcpState;
using namespace sockdrill::testing;
using End = ChunkResult::End;

TEST(SockDiagParse, ChunkOfAnIpv4AndAnIpv6RecordGivesBothWithEveryField) {
  NetlinkDatagram d;
  inet_diag_msg& v4 = d.record(kSeq, AF_INET, 1, 4000);
  const std::uint8_t v4_src[4] = {127, 0, 0, 1}, v4_dst[4] = {10, 1, 2, 3};
  std::memcpy(v4.id.idiag_src, v4_src, 4);
  std::memcpy(v4.id.idiag_dst, v4_dst, 4);
  v4.id.idiag_dport = htons(5000);
  v4.id.idiag_cookie[0] = 0x11223344;
  v4.id.idiag_cookie[1] = 0x55667788;
  v4.idiag_inode = 99;
  v4.idiag_rqueue = 3;
  v4.idiag_wqueue = 4;
  v4.idiag_timer = 1;
  v4.idiag_retrans = 2;
  v4.idiag_expires = 200;
  inet_diag_msg& v6 = d.record(kSeq, AF_INET6, 10, 6000);
  v6.id.idiag_src[3] = htonl(1);  // ::1

  std::vector<SocketRecord> out;
  const ChunkResult r = parse(d, kV4, out);
  EXPECT_EQ(r.end, End::more) << r.message;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].family, AF_INET);
  EXPECT_EQ(out[0].state, TcpState::ESTABLISHED);
  EXPECT_EQ(out[0].local_text(), "127.0.0.1:4000");
  EXPECT_EQ(out[0].remote_text(), "10.1.2.3:5000");
  EXPECT_EQ(out[0].cookie, 0x5566778811223344u);
  EXPECT_EQ(out[0].inode, 99u);
  EXPECT_EQ(out[0].rqueue, 3u);
  EXPECT_EQ(out[0].wqueue, 4u);
  EXPECT_EQ(out[0].timer, 1u);
  EXPECT_EQ(out[0].retrans, 2u);
  EXPECT_EQ(out[0].expires_ms, 200u);
  EXPECT_FALSE(out[0].has_bytes);
  EXPECT_EQ(out[1].family, AF_INET6);
  EXPECT_EQ(out[1].state, TcpState::LISTEN);
  EXPECT_EQ(out[1].local_text(), "[::1]:6000");
}

TEST(SockDiagParse, MessagesOfAnEarlierRequestAreSkipped) {
  NetlinkDatagram d;
  d.record(kSeq - 1, AF_INET, 1, 1111);
  d.record(kSeq, AF_INET, 1, 2222);
  d.error(kSeq - 1, -EINVAL);
  d.done(kSeq - 1, -ENOMEM);
  d.record(kSeq, AF_INET, 1, 3333);
  std::vector<SocketRecord> out;
  const ChunkResult r = parse(d, kV4, out);
  EXPECT_EQ(r.end, End::more) << r.message;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].sport, 2222);
  EXPECT_EQ(out[1].sport, 3333);
}

TEST(SockDiagParse, SockDiagMessageShorterThanInetDiagMsgIsAnError) {
  NetlinkDatagram d;
  d.message(kSeq, SOCK_DIAG_BY_FAMILY, 40);
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, EIO, "a SOCK_DIAG_BY_FAMILY message of 56 bytes, expected at least 88"));
}

TEST(SockDiagParse, RecordOfAnotherFamilyIsAnError) {
  NetlinkDatagram d;
  d.record(kSeq, AF_UNIX, 1);
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, EIO, "a socket of family 1, expected AF_INET (2) or AF_INET6 (10)"));
}

TEST(SockDiagParse, ByteCountsComeFromALongEnoughTcpInfo) {
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 1, 1111);
  d.info(sizeof(tcp_info), 10, 20, 3);
  d.record(kSeq, AF_INET, 1, 2222);
  d.info(offsetof(tcp_info, tcpi_bytes_retrans), 10, 20, 3);  // an older kernel's tcp_info
  d.record(kSeq, AF_INET, 6, 3333);                            // TIME_WAIT: no tcp_info
  std::vector<SocketRecord> out;
  const ChunkResult r = parse(d, ChunkContext{kSeq, AF_INET, true}, out);
  EXPECT_EQ(r.end, End::more) << r.message;
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].has_bytes);
  EXPECT_EQ(out[0].bytes_received, 10u);
  EXPECT_EQ(out[0].bytes_sent, 20u);
  EXPECT_EQ(out[0].bytes_retrans, 3u);
  EXPECT_FALSE(out[1].has_bytes) << "too short for tcpi_bytes_retrans";
  EXPECT_EQ(out[1].bytes_received, 0u);
  EXPECT_FALSE(out[2].has_bytes);

  out.clear();
  parse(d, kV4, out);
  EXPECT_FALSE(out[0].has_bytes) << "tcp_info is read only when byte counts were asked";
}

// The dump reads a socket's state before its tcp_info: a FIN in between shows in the counts and
// in tcp_info's own state, not in the record's.
TEST(SockDiagParse, TcpInfosOwnStateIsKeptBesideTheRecords) {
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 1, 1111);  // ESTABLISHED
  d.info(sizeof(tcp_info), 4, 0, 0, 8);  // ... and CLOSE_WAIT by the time tcp_info was read
  std::vector<SocketRecord> out;
  ASSERT_EQ(parse(d, ChunkContext{kSeq, AF_INET, true}, out).end, End::more);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].state, TcpState::ESTABLISHED);
  EXPECT_EQ(out[0].info_state, TcpState::CLOSE_WAIT);
}

TEST(SockDiagParse, RequestSocketStateIsReportedAsSynRecv) {
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 12);
  std::vector<SocketRecord> out;
  parse(d, kV4, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].state, TcpState::SYN_RECV);
}

TEST(SockDiagParse, StatesWithoutANameAreDropped) {
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 0);
  d.record(kSeq, AF_INET, 13);
  d.record(kSeq, AF_INET, 99);
  d.record(kSeq, AF_INET, 11, 4444);
  std::vector<SocketRecord> out;
  EXPECT_EQ(parse(d, kV4, out).end, End::more);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].state, TcpState::CLOSING);
}

TEST(SockDiagParse, DestroyNoticesOfBothFamiliesCarrySequenceZero) {
  const ChunkContext notices{0, AF_UNSPEC, true};
  NetlinkDatagram d;
  d.record(0, AF_INET6, 7);
  d.info(sizeof(tcp_info), 6, 5, 0);
  d.record(0, AF_INET, 7);
  std::vector<SocketRecord> out;
  EXPECT_EQ(parse(d, notices, out).end, End::more);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].state, TcpState::CLOSE);
  EXPECT_TRUE(out[0].has_bytes);
  EXPECT_EQ(out[1].family, AF_INET);

  NetlinkDatagram refusal;
  refusal.error(0, -ENOENT);
  EXPECT_TRUE(ends_in_error(refusal, notices, out, ENOENT, "refused the destroy notices"))
      << "only an IPv6 dump takes ENOENT for no sockets";
}

TEST(SockDiagParse, OneWalkOfBothFamiliesTakesTheLegacyMessagesOnly) {
  const ChunkContext both{kSeq, AF_UNSPEC, false, true};
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 1, 1111, TCPDIAG_GETSOCK);
  d.record(kSeq, AF_INET6, 10, 2222, TCPDIAG_GETSOCK);
  d.record(kSeq, AF_INET, 1, 3333);  // SOCK_DIAG_BY_FAMILY: not an answer to this request
  std::vector<SocketRecord> out;
  EXPECT_EQ(parse(d, both, out).end, End::more);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].family, AF_INET);
  EXPECT_EQ(out[1].family, AF_INET6);
  EXPECT_EQ(out[1].state, TcpState::LISTEN);

  out.clear();
  EXPECT_EQ(parse(d, kV4, out).end, End::more);
  ASSERT_EQ(out.size(), 1u) << "a per-family dump takes SOCK_DIAG_BY_FAMILY messages only";
  EXPECT_EQ(out[0].sport, 3333);

  NetlinkDatagram refusal;
  refusal.error(kSeq, -ENOENT);
  EXPECT_TRUE(ends_in_error(refusal, both, out, ENOENT, "refused the AF_INET+AF_INET6 dump (seq 7)"))
      << "only a dump of IPv6 alone takes ENOENT for no sockets";
  NetlinkDatagram short_one;
  short_one.message(kSeq, TCPDIAG_GETSOCK, 8);
  EXPECT_TRUE(ends_in_error(short_one, both, out, EIO, "a TCPDIAG_GETSOCK message of 24 bytes"));
}

}  // namespace
