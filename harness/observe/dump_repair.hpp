// Makes one sock_diag dump a faithful sample of a table that changes while it is read.
#pragma once
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "harness/observe/cookie_set.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill {

// The kernel sends a dump in chunks and starts each chunk a number of sockets into a bucket of its
// hash table. A socket removed from that bucket, ahead of that point, between two chunks makes
// the dump skip a socket that stayed all along; one added there makes it send a socket twice.
// (Measured: 2,000 connections in a 128-bucket table, half of them closed after the third
// chunk: 2 to 6 of the others missing; as many opened instead: 18 to 24 sent twice.)
//
// A repeat is found by its cookie and dropped. A skipped socket is found if the previous read
// had it: each socket of that read missing from this one is looked up again, and added when it
// is still there. A socket made since the previous read and skipped by this one stays unseen
// until the next read, as if it had been made just after this one.
class DumpRepair {
 public:
  // Appends to `found` the sockets of `which` still in the table, as they are now
  // (SockDiag::find, or a stand-in in tests).
  using Finder = std::function<void(const std::vector<SocketRecord>& which, std::vector<SocketRecord>& found)>;

  struct Tally {
    std::uint64_t repeats = 0;    // records dropped because the dump had sent the socket before
    std::uint64_t looked_up = 0;  // sockets of the previous read missing from a dump
    std::uint64_t skipped = 0;    // of those, still in the table: sockets the dump skipped
  };

  // Drops the repeats of `now` (each socket's later record takes the earlier one's place), then
  // looks up every socket of `before` in a state of `mask` that `now` lacks and appends those
  // still there in a state of `mask`.
  void repair(std::uint32_t mask, const std::vector<SocketRecord>& before, std::vector<SocketRecord>& now,
              const Finder& find);

  // After repair(): whether the read it repaired holds the socket with this cookie.
  bool read_has(std::uint64_t cookie) const;

  const Tally& tally() const { return tally_; }

 private:
  CookieSet in_now_;  // the cookies of the current read
  std::vector<std::uint8_t> repeated_;  // per record of the current read
  std::vector<std::uint64_t> repeated_cookies_;
  std::vector<std::pair<std::uint64_t, std::size_t>> first_seen_;  // of a repeated cookie
  std::vector<SocketRecord> missing_, found_;
  std::vector<std::uint64_t> found_outside_;  // found sockets' cookies outside this read's range (few)
  Tally tally_;
};

}  // namespace sockdrill
