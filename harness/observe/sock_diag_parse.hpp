// Parses one received NETLINK_SOCK_DIAG datagram into SocketRecords: a pure function, no I/O.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/observe/sock_diag.hpp"

namespace sockdrill {

// Request sockets live in the hash as TCP_NEW_SYN_RECV and are reported as SYN_RECV.
inline constexpr unsigned kTcpNewSynRecv = 12;

// What the datagram answers.
struct ChunkContext {
  std::uint32_t seq = 0;     // of the current request; kernel notices (destroy groups) carry 0
  std::uint8_t family = 0;   // AF_INET / AF_INET6 of the dump; AF_UNSPEC for destroy notices
                             // and for a dump of both families
  bool byte_counts = false;  // whether tcp_info (INET_DIAG_INFO) was asked for
  // Whether the request was the legacy TCPDIAG_GETSOCK, whose one walk of the table answers for
  // both families, each record a message of that type (SOCK_DIAG_BY_FAMILY otherwise).
  bool both_families = false;
  // Replies to this many exact lookups, sequence numbers seq to seq + lookups - 1 (0: a dump).
  std::uint32_t lookups = 0;
};

// "AF_INET dump (seq 3)", "AF_INET6 dump (seq 4)", "AF_INET+AF_INET6 dump (seq 5)", "exact
// lookups (seq 6 to 9)" or "destroy notices", for messages.
std::string request_text(const ChunkContext& ctx);

struct ChunkResult {
  enum class End { more, done, error };
  End end = End::more;  // more: the dump goes on (or, for notices, nothing ends)
  int error = 0;        // with End::error: an errno value
  std::string message;  // with End::error: what was expected, what was seen, at which byte
};

// Appends a record for each SOCK_DIAG_BY_FAMILY (or, for ctx.both_families, TCPDIAG_GETSOCK) message of `data` (len bytes, 4-byte aligned as
// netlink messages are) whose sequence number is ctx.seq and whose state has a name; messages
// of other requests are skipped. Ends at NLMSG_DONE, at a refusal (NLMSG_ERROR) and at the
// first malformed byte; records of the messages before an error stay appended. Reads nothing
// outside [data, data + len), whatever the bytes say.
ChunkResult parse_chunk(const void* data, std::size_t len, const ChunkContext& ctx,
                        std::vector<SocketRecord>& out);

// Replies to ctx.lookups exact lookups (SockDiag::find), each sent with NLM_F_ACK: a record for a
// socket still in the table, then an acknowledgement; ENOENT (or ESTALE: same addresses, another
// cookie) for one that is gone. Appends the records of those sequence numbers and adds one to
// `answered` per acknowledgement or ENOENT; other messages are skipped. Ends (End::error) at any
// other refusal and at the first malformed byte; End::more otherwise. Reads nothing outside
// [data, data + len).
ChunkResult parse_lookup_replies(const void* data, std::size_t len, const ChunkContext& ctx,
                                 std::vector<SocketRecord>& out, std::size_t& answered);

}  // namespace sockdrill
