// How many buckets a case's private TCP table gets: room for the sockets the case declares.
#pragma once
#include <cstdint>

#include "harness/case/case_model.hpp"
#include "harness/run/isolation.hpp"

namespace sockdrill {

// A power of two from 1,024 to 262,144: four table entries per connection a client declares
// (its end, the server's, a proxy's two legs), and a few per peer. Every sample walks every
// bucket, so a small case's samples are cheaper with a small table; the lookups of a large
// one stay short. A case with a command peer (whose sockets nobody can count beforehand) gets
// at least kDefaultTcpTableBuckets.
std::uint32_t tcp_table_buckets(const CaseSpec& spec);

}  // namespace sockdrill
