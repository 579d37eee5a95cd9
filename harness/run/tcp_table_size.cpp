// How many buckets a case's private TCP table gets: room for the sockets the case declares.
#include "harness/run/tcp_table_size.hpp"

#include <algorithm>

namespace sockdrill {

std::uint32_t tcp_table_buckets(const CaseSpec& spec) {
  constexpr std::uint64_t kFewest = 1024, kMost = 262144;
  std::uint64_t entries = 16 * spec.peers.size();
  bool has_command = false;
  for (const PeerSpec& p : spec.peers) {
    if (p.kind == PeerKind::client && p.connect) entries += 4 * static_cast<std::uint64_t>(p.connect->count);
    if (p.kind == PeerKind::command) has_command = true;
  }
  std::uint64_t buckets = kFewest;
  while (buckets < entries && buckets < kMost) buckets *= 2;
  if (has_command) buckets = std::max<std::uint64_t>(buckets, kDefaultTcpTableBuckets);
  return static_cast<std::uint32_t>(buckets);
}

}  // namespace sockdrill
