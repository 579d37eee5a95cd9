// Folding sockets into SocketGroups: one state, the fixed side's endpoint, the other's address.
#pragma once
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
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
  std::set<std::pair<std::string, std::uint16_t>> exact_;
  std::set<std::uint16_t> wildcard_;
};

class GroupBuilder {
 public:
  void add(const SocketRecord& socket, bool server_side);
  // The groups, largest first (then by state, local, remote).
  std::vector<SocketGroup> take();

 private:
  std::unordered_map<std::string, SocketGroup> groups_;
};

}  // namespace sockdrill::field
