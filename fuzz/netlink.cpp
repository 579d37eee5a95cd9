// Fuzz target: the sock_diag datagram parsers (dump chunks, replies to exact lookups). Crafted
// bytes give records and an end (more, done or an error that says why), never a read outside the
// datagram, a crash or an exception.
//
// Input: 5 bytes of context, then the datagram.
//   byte 0: bits 0-1 the dump's family (0 AF_UNSPEC: destroy notices, 1 AF_INET, 2 AF_INET6,
//           3 AF_INET again), bit 2 whether byte counts (INET_DIAG_INFO) were asked for, bit 3
//           whether it was the one walk of both families (TCPDIAG_GETSOCK records), bit 4 whether
//           the datagram answers exact lookups, bits 5-7 how many (1 to 8)
//   bytes 1-4: the request's sequence number (little-endian)
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "harness/observe/sock_diag_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kContextBytes = 5;
  if (size < kContextBytes) return 0;
  constexpr std::uint8_t kFamilies[] = {AF_UNSPEC, AF_INET, AF_INET6, AF_INET};
  sockdrill::ChunkContext ctx;
  ctx.family = kFamilies[data[0] & 3];
  ctx.byte_counts = (data[0] & 4) != 0;
  ctx.both_families = (data[0] & 8) != 0;  // the legacy one-walk dump's TCPDIAG_GETSOCK records
  ctx.seq = static_cast<std::uint32_t>(data[1]) | static_cast<std::uint32_t>(data[2]) << 8 |
            static_cast<std::uint32_t>(data[3]) << 16 | static_cast<std::uint32_t>(data[4]) << 24;

  // A buffer of exactly the datagram's size (malloc aligns it as netlink needs), so ASan sees
  // any read past its end.
  const std::size_t len = size - kContextBytes;
  const auto datagram = std::make_unique<std::uint8_t[]>(len == 0 ? 1 : len);
  if (len) std::memcpy(datagram.get(), data + kContextBytes, len);

  std::vector<sockdrill::SocketRecord> records;
  std::size_t answered = 0;
  if (data[0] & 16) ctx.lookups = 1u + (data[0] >> 5);
  const auto result = ctx.lookups ? sockdrill::parse_lookup_replies(datagram.get(), len, ctx, records, answered)
                                  : sockdrill::parse_chunk(datagram.get(), len, ctx, records);
  sockdrill::fuzz::require(result.end != sockdrill::ChunkResult::End::done || !ctx.lookups,
                           "lookup replies never end a dump");
  using End = sockdrill::ChunkResult::End;
  sockdrill::fuzz::require((result.end == End::error) == !result.message.empty(),
                           "an error end, and only that, says why");
  sockdrill::fuzz::require((result.end == End::error) == (result.error > 0),
                           "an error end, and only that, carries an errno");
  for (const auto& r : records)
    sockdrill::fuzz::require(r.family == AF_INET || r.family == AF_INET6, "records are TCP/IP sockets");
  return 0;
}
