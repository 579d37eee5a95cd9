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

void Attribution::claim(int peer, const std::string& address, std::uint16_t port) {
  Claim c{peer, {}, false, false};
  if (address.empty() || address == "::") {
    c.wildcard = true;
  } else if (inet_pton(AF_INET, address.c_str(), c.addr.data()) == 1) {
    c.v4 = true;
    c.wildcard = c.addr[0] == 0 && c.addr[1] == 0 && c.addr[2] == 0 && c.addr[3] == 0;
  } else if (inet_pton(AF_INET6, address.c_str(), c.addr.data()) == 1) {
    if (is_v4_mapped(c.addr)) {  // "::ffff:127.0.0.1" is the IPv4 endpoint 127.0.0.1
      std::memmove(c.addr.data(), c.addr.data() + 12, 4);
      std::fill(c.addr.begin() + 4, c.addr.end(), 0);
      c.v4 = true;
      c.wildcard = c.addr[0] == 0 && c.addr[1] == 0 && c.addr[2] == 0 && c.addr[3] == 0;
    } else {
      c.wildcard = std::all_of(c.addr.begin(), c.addr.end(), [](std::uint8_t b) { return b == 0; });
    }
  } else {
    throw std::invalid_argument("Attribution::claim: peer " + std::to_string(peer) +
                                " announced address \"" + address +
                                "\", expected an IPv4 or IPv6 literal");
  }
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
  if (s.inode != 0) {
    auto held = by_inode_.find(s.inode);
    if (held != by_inode_.end()) {
      if (s.cookie != 0) sticky_.emplace(s.cookie, held->second);
      return held->second;
    }
  }
  auto claims = by_port_.find(s.sport);
  if (claims == by_port_.end()) {
    if (fallback_ >= 0 && s.cookie != 0) sticky_.emplace(s.cookie, fallback_);
    return fallback_;
  }

  // The socket's local address in the claims' terms: v4-mapped IPv6 counts as IPv4.
  bool v4 = s.family == AF_INET;
  const std::uint8_t* local = s.src.data();
  if (!v4 && is_v4_mapped(s.src)) {
    v4 = true;
    local = s.src.data() + 12;
  }

  int found = -1;
  const std::vector<Claim>& list = claims->second;
  for (auto c = list.rbegin(); c != list.rend(); ++c) {  // latest claim first
    bool matches;
    if (c->wildcard)
      matches = !c->v4 || v4;  // "::" takes every family, "0.0.0.0" only IPv4
    else
      matches = c->v4 == v4 && std::memcmp(c->addr.data(), local, v4 ? 4 : 16) == 0;
    if (matches) {
      found = c->peer;
      break;
    }
  }
  if (found < 0) found = fallback_;
  if (found >= 0 && s.cookie != 0) sticky_.emplace(s.cookie, found);
  return found;
}

}  // namespace sockdrill
