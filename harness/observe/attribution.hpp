// Decides which peer each socket belongs to, from the endpoints peers announced.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "harness/observe/sock_diag.hpp"

namespace sockdrill {

class Attribution {
 public:
  // Peer `peer` owns local endpoint address:port from now on (a client's bound port, a server's
  // listening port). `address` may be a wildcard: "::" (or "") matches any local address with
  // that port, "0.0.0.0" any IPv4 one. An IPv4 claim also matches the v4-mapped form
  // (::ffff:127.0.0.1) that a dual-stack listener's connections show. A later claim on the
  // same endpoint wins for sockets not seen yet. Throws std::invalid_argument when `address`
  // is not an IP literal (a harness bug: peers announce what getsockname() said).
  void claim(int peer, const std::string& address, std::uint16_t port);

  // Peer `peer` owns every socket whose local address is `address`, whatever its port: a client's
  // (or a proxy's) own source address, which no other peer binds. Checked before the endpoint
  // claims, so a client needs to announce nothing per connection. Throws std::invalid_argument
  // when `address` is not an IP literal.
  void claim_address(int peer, const std::string& address);

  // Peer `peer` owns the socket with this inode (one of its processes holds it as a file
  // descriptor). An inode claim is checked before the endpoint claims; like those, the owner
  // found sticks to the socket's cookie, so it stays after close (orphans have inode 0).
  void claim_inode(int peer, std::uint32_t inode);
  // Whether some peer's descriptors hold this inode (claim_inode was called for it).
  bool inode_claimed(std::uint32_t inode) const { return by_inode_.count(inode) != 0; }

  // A listening socket that an inode claim gives to a peer (a command's process listens) also
  // claims its endpoint, so the connections still in its accept queue (no descriptor, hence no
  // inode of their own yet) are that peer's too. Once per listening socket.
  void claim_listening_endpoints(const std::vector<SocketRecord>& records);

  // The owner of every socket that no claim matches (-1: none, the default). The runner sets it
  // when a case has exactly one command peer: every other process in the case's namespace
  // announces its sockets, so an unclaimed one is that program's, even when it lived too briefly
  // for a sample to find its inode in the program's descriptors.
  void set_fallback_owner(int peer) { fallback_ = peer; }

  // The owning peer of a socket, or -1. A socket keeps the owner of its first attributed
  // sighting (by cookie, which the kernel keeps into TIME_WAIT), so a restarted server on the
  // same port does not take over its predecessor's TIME_WAIT sockets. A socket that no claim
  // matches is not remembered, so a claim that arrives later still gets it.
  int owner(const SocketRecord& s);
  // Whether owner() has already given this socket (by cookie) an owner, which it keeps.
  bool attributed_before(const SocketRecord& s) const { return s.cookie != 0 && sticky_.count(s.cookie) != 0; }

 private:
  int first_claim(const SocketRecord& s) const;
  struct Claim {
    int peer;
    std::array<std::uint8_t, 16> addr;  // IPv4 in the first 4 bytes; all zero for a wildcard
    bool wildcard;
    bool v4;  // an IPv4 address, or "0.0.0.0" (matches IPv4 and v4-mapped only)
  };
  std::unordered_map<std::uint16_t, std::vector<Claim>> by_port_;  // latest claim last
  std::vector<Claim> by_address_;                                  // source addresses
  std::unordered_map<std::uint64_t, int> sticky_;                  // cookie -> peer
  std::unordered_map<std::uint32_t, int> by_inode_;                // inode -> peer
  std::unordered_set<std::uint64_t> listeners_claimed_;            // cookies of LISTEN sockets
  int fallback_ = -1;
};

}  // namespace sockdrill
