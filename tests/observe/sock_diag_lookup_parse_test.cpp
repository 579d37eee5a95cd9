// Replies to exact lookups (SockDiag::find) on crafted buffers: records, acknowledgements, ENOENT.
#include "harness/observe/sock_diag_parse.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>

#include "tests/observe/netlink_datagram.hpp"

namespace {

using sockdrill::ChunkContext;
using sockdrill::ChunkResult;
using sockdrill::parse_lookup_replies;
using sockdrill::SocketRecord;
using namespace sockdrill::testing;
using End = ChunkResult::End;

// Three lookups, sequence numbers 20, 21 and 22.
const ChunkContext kLookups{20, AF_UNSPEC, false, false, 3};

TEST(SockDiagLookupParse, RecordsAndAnswersOfTheBatchAreCounted) {
  NetlinkDatagram d;
  d.record(20, AF_INET, 8, 1111);  // CLOSE_WAIT, still there
  d.error(20, 0);                  // its acknowledgement
  d.error(21, -ENOENT);            // gone
  d.error(22, -ESTALE);            // its addresses now belong to another socket
  std::vector<SocketRecord> out;
  std::size_t answered = 0;
  const ChunkResult r = parse_lookup_replies(d.data(), d.size(), kLookups, out, answered);
  EXPECT_EQ(r.end, End::more) << r.message;
  EXPECT_EQ(answered, 3u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].sport, 1111);
}

TEST(SockDiagLookupParse, MessagesOutsideTheBatchAreSkipped) {
  NetlinkDatagram d;
  d.record(19, AF_INET, 1, 1111);
  d.error(19, -EINVAL);
  d.error(23, 0);
  d.record(0, AF_INET, 1, 2222);
  std::vector<SocketRecord> out;
  std::size_t answered = 0;
  EXPECT_EQ(parse_lookup_replies(d.data(), d.size(), kLookups, out, answered).end, End::more);
  EXPECT_EQ(answered, 0u);
  EXPECT_TRUE(out.empty());
}

TEST(SockDiagLookupParse, AnotherRefusalEndsTheBatchWithItsErrno) {
  NetlinkDatagram d;
  d.error(21, -EPERM);
  std::vector<SocketRecord> out;
  std::size_t answered = 0;
  const ChunkResult r = parse_lookup_replies(d.data(), d.size(), kLookups, out, answered);
  EXPECT_EQ(r.end, End::error);
  EXPECT_EQ(r.error, EPERM);
  EXPECT_NE(r.message.find("exact lookups (seq 20 to 22)"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("expected a record, 0 or ENOENT"), std::string::npos) << r.message;
}

TEST(SockDiagLookupParse, ATruncatedMessageIsAnError) {
  NetlinkDatagram d;
  d.error(20, 0);
  d.header_claiming(400);
  std::vector<SocketRecord> out;
  std::size_t answered = 0;
  const ChunkResult r = parse_lookup_replies(d.data(), d.size(), kLookups, out, answered);
  EXPECT_EQ(r.end, End::error);
  EXPECT_EQ(r.error, EIO);
  EXPECT_EQ(answered, 1u);
}

}  // namespace
