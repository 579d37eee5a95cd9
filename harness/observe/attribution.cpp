// Attribution of sockets to peers by local endpoint, sticky per socket cookie.
#include "harness/observe/attribution.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace sockdrill {
namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_v4_mapped(const std::array<std::uint8_t, 16>& a) {
  return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), a.begin());
}

}  // namespace

namespace {

// An address as a claim holds it: IPv4 (also written v4-mapped) in the first 4 bytes.
bool read_claim_address(const std::string& address, std::array<std::uint8_t, 16>& addr, bool& v4,
                        bool& wildcard) {
  addr = {};
  v4 = false;
  if (address.empty() || address == "::") {
    wildcard = true;
    return true;
  }
  if (inet_pton(AF_INET, address.c_str(), addr.data()) == 1) {
    v4 = true;
  } else if (inet_pton(AF_INET6, address.c_str(), addr.data()) == 1) {
    if (is_v4_mapped(addr)) {  // "::ffff:127.0.0.1" is the IPv4 endpoint 127.0.0.1
      std::memmove(addr.data(), addr.data() + 12, 4);
      std::fill(addr.begin() + 4, addr.end(), 0);
      v4 = true;
    }
  } else {
    return false;
  }
  const std::size_t n = v4 ? 4 : 16;
  wildcard = std::all_of(addr.begin(), addr.begin() + n, [](std::uint8_t b) { return b == 0; });
  return true;
}

// The socket's local address in the claims' terms: v4-mapped IPv6 counts as IPv4.
const std::uint8_t* local_address(const SocketRecord& s, bool& v4) {
  v4 = s.family == AF_INET;
  if (!v4 && is_v4_mapped(s.src)) {
    v4 = true;
    return s.src.data() + 12;
  }
  return s.src.data();
}

}  // namespace

void Attribution::claim_address(int peer, const std::string& address) {
  Claim c{peer, {}, false, false};
  if (!read_claim_address(address, c.addr, c.v4, c.wildcard) || c.wildcard)
    throw std::invalid_argument("Attribution::claim_address: peer " + std::to_string(peer) +
                                " claims address \"" + address + "\", expected an IP literal "
                                "that is not a wildcard");
  by_address_.push_back(c);
}

void Attribution::claim(int peer, const std::string& address, std::uint16_t port) {
  Claim c{peer, {}, false, false};
  if (!read_claim_address(address, c.addr, c.v4, c.wildcard))
    throw std::invalid_argument("Attribution::claim: peer " + std::to_string(peer) +
                                " announced address \"" + address +
                                "\", expected an IPv4 or IPv6 literal");
  by_port_[port].push_back(c);
}

void Attribution::claim_inode(int peer, std::uint32_t inode) {
  if (inode != 0) by_inode_[inode] = peer;
}

void Attribution::claim_listening_endpoints(const std::vector<SocketRecord>& records) {
  for (const auto& r : records) {
    if (r.state != TcpState::LISTEN || r.inode == 0) continue;
    auto held = by_inode_.find(r.inode);
    if (held == by_inode_.end() || !listeners_claimed_.insert(r.cookie).second) continue;
    claim(held->second, r.local_address(), r.sport);
  }
}

int Attribution::owner(const SocketRecord& s) {
  if (s.cookie != 0) {
    auto known = sticky_.find(s.cookie);
    if (known != sticky_.end()) return known->second;
  }
  const int found = first_claim(s);
  if (found >= 0 && s.cookie != 0) sticky_.emplace(s.cookie, found);
  return found;
}

int Attribution::first_claim(const SocketRecord& s) const {
  if (s.inode != 0) {
    auto held = by_inode_.find(s.inode);
    if (held != by_inode_.end()) return held->second;
  }
  bool v4 = false;
  const std::uint8_t* local = local_address(s, v4);
  auto same_address = [&](const Claim& c) {
    return c.v4 == v4 && std::memcmp(c.addr.data(), local, v4 ? 4 : 16) == 0;
  };
  for (const Claim& c : by_address_)
    if (same_address(c)) return c.peer;
  auto claims = by_port_.find(s.sport);
  if (claims == by_port_.end()) return fallback_;
  const std::vector<Claim>& list = claims->second;
  for (auto c = list.rbegin(); c != list.rend(); ++c) {  // latest claim first
    // "::" takes every family, "0.0.0.0" only IPv4.
    const bool matches = c->wildcard ? (!c->v4 || v4) : same_address(*c);
    if (matches) return c->peer;
  }
  return fallback_;
}

}  // namespace sockdrill
