// Folding sockets into SocketGroups: one state, the fixed side's endpoint, the other's address.
#pragma once
#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "harness/field/snapshot.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill::field {

// "10.0.0.1:8080", "[::1]:8080"; with port < 0, "10.0.0.1:*".
std::string endpoint_text(std::uint8_t family, const std::array<std::uint8_t, 16>& address, int port);

// The namespace's listening endpoints: a socket whose local port one of them listens on (at its
// address or a wildcard one) is a server's; its group keeps the local port and drops the remote.
class ListeningPorts {
 public:
  explicit ListeningPorts(const std::vector<SocketRecord>& sockets);
  bool serves(const SocketRecord& socket) const;

 private:
  // (family, address, port) packed, and ports listened on at a wildcard address.
  std::unordered_set<std::string> exact_;
  std::unordered_set<std::uint16_t> wildcard_;
};

class GroupBuilder {
 public:
  void add(const SocketRecord& socket, bool server_side);
  // The groups, largest first (then by state, local, remote).
  std::vector<SocketGroup> take();

 private:
  // Keyed by the group's bytes (state, family, both addresses, the kept port): the text of
  // its endpoints is made once per group, not per socket.
  std::unordered_map<std::string, SocketGroup> groups_;
  std::string key_;  // reused
};

}  // namespace sockdrill::field
