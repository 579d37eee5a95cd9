// The sock_diag datagram parser on crafted buffers: how a chunk ends (done, refused, malformed).
#include "harness/observe/sock_diag_parse.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>
#include <climits>

#include "tests/observe/netlink_datagram.hpp"

namespace {

using sockdrill::ChunkResult;
using sockdrill::SocketRecord;
using namespace sockdrill::testing;
using End = ChunkResult::End;

TEST(SockDiagParse, EmptyDatagramAsksForMore) {
  std::vector<SocketRecord> out;
  EXPECT_EQ(sockdrill::parse_chunk(nullptr, 0, kV4, out).end, End::more);
}

TEST(SockDiagParse, MessageCutShortIsAnError) {
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 1);
  d.record(kSeq, AF_INET, 1);
  d.cut(10);
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, EIO, "of 88 bytes cut after 78, in the AF_INET dump (seq 7), "
                                              "message at byte 88 of 166"));
  EXPECT_EQ(out.size(), 1u) << "the whole message before the cut one is kept";
}

TEST(SockDiagParse, NlmsgErrorEndsTheChunkWithItsErrno) {
  NetlinkDatagram d;
  d.error(kSeq, -EINVAL);
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, EINVAL, "refused the AF_INET dump (seq 7), message at byte 0 "
                                                 "of 36: NLMSG_ERROR -22, expected socket records"));
}

TEST(SockDiagParse, AcknowledgementIsNotAnError) {
  NetlinkDatagram d;
  d.error(kSeq, 0);
  d.record(kSeq, AF_INET, 1);
  std::vector<SocketRecord> out;
  const ChunkResult r = parse(d, kV4, out);
  EXPECT_EQ(r.end, End::more) << r.message;
  EXPECT_EQ(out.size(), 1u);
}

TEST(SockDiagParse, NoIpv6InTheKernelEndsTheIpv6DumpEmpty) {
  for (int error : {-ENOENT, -EAFNOSUPPORT}) {
    NetlinkDatagram d;
    d.error(kSeq, error);
    std::vector<SocketRecord> out;
    const ChunkResult r = parse(d, kV6, out);
    EXPECT_EQ(r.end, End::done) << error << ": " << r.message;
    EXPECT_TRUE(out.empty());
    EXPECT_TRUE(ends_in_error(d, kV4, out, -error, "NLMSG_ERROR")) << "for AF_INET it is an error";
  }
}

TEST(SockDiagParse, TruncatedNlmsgErrorIsAnError) {
  NetlinkDatagram d;
  d.message(kSeq, NLMSG_ERROR, sizeof(int));  // the errno, without the request's header
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, EIO, "truncated NLMSG_ERROR of 20 bytes, expected at least 36"));
}

TEST(SockDiagParse, NlmsgDoneWithStatusZeroEndsTheDump) {
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 1);
  d.done(kSeq, 0);
  d.record(kSeq, AF_INET, 1);  // after the end: not read
  std::vector<SocketRecord> out;
  const ChunkResult r = parse(d, kV4, out);
  EXPECT_EQ(r.end, End::done) << r.message;
  EXPECT_EQ(out.size(), 1u);
}

TEST(SockDiagParse, NlmsgDoneWithANegativeStatusIsThatErrno) {
  NetlinkDatagram d;
  d.done(kSeq, -ENOMEM);
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, ENOMEM, "NLMSG_DONE with status -12, expected 0, ended the AF_INET"));
}

TEST(SockDiagParse, StatusThatNamesNoErrnoIsEioWithTheRawValue) {
  for (int status : {INT_MIN, -4096}) {
    NetlinkDatagram done, error;
    done.done(kSeq, status);
    error.error(kSeq, status);
    std::vector<SocketRecord> out;
    const std::string raw = std::to_string(status) + " (not an errno)";
    EXPECT_TRUE(ends_in_error(done, kV4, out, EIO, "NLMSG_DONE with status " + raw));
    EXPECT_TRUE(ends_in_error(error, kV4, out, EIO, "NLMSG_ERROR " + raw));
  }
}

TEST(SockDiagParse, TrailingBytesThatAreNotAMessageAreAnError) {
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 1);
  d.garbage({1, 2, 3, 4, 5});
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, EIO, "5 trailing bytes, expected a whole netlink message"));
  EXPECT_EQ(out.size(), 1u);
}

TEST(SockDiagParse, HeaderClaimingFewerBytesThanItselfIsAnError) {
  NetlinkDatagram d;
  d.header_claiming(8);
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, EIO, "claiming 8 bytes, expected at least 16"));
}

TEST(SockDiagParse, LengthAboveIntMaxIsNotTakenForAWholeMessage) {
  // libmnl 1.0.4 compares nlmsg_len as an int: 0x80000000 would pass as negative.
  NetlinkDatagram d;
  d.header_claiming(0x80000000u);
  std::vector<SocketRecord> out;
  EXPECT_TRUE(ends_in_error(d, kV4, out, EIO, "of 2147483648 bytes cut after 16"));
  EXPECT_TRUE(out.empty());
}

TEST(SockDiagParse, LastMessageWithoutItsPaddingIsWhole) {
  NetlinkDatagram d;
  d.message(kSeq, NLMSG_NOOP, 4);
  d.last()->nlmsg_len = 17;
  d.cut(3);  // 17 bytes: the message, without the 3 bytes that would pad it to 20
  std::vector<SocketRecord> out;
  EXPECT_EQ(parse(d, kV4, out).end, End::more);
}

TEST(SockDiagParse, MisalignedBufferIsRefused) {
  NetlinkDatagram d;
  d.record(kSeq, AF_INET, 1);
  alignas(4) unsigned char copy[200];
  std::memcpy(copy + 1, d.data(), d.size());
  std::vector<SocketRecord> out;
  const ChunkResult r = sockdrill::parse_chunk(copy + 1, d.size(), kV4, out);
  EXPECT_EQ(r.end, End::error);
  EXPECT_EQ(r.error, EINVAL);
  EXPECT_TRUE(out.empty());
}

}  // namespace
