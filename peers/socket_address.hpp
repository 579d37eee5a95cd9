// An endpoint as the socket calls take it (sockaddr_storage), made from the protocol's text.
#pragma once
#include <sys/socket.h>

#include <optional>
#include <string>

#include "common/endpoint.hpp"

namespace sockdrill::peer {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// An IPv4 or IPv6 literal and a port; nullopt when `address` is not an IP literal.
std::optional<SocketAddress> make_address(const std::string& address, int port);
inline std::optional<SocketAddress> make_address(const Endpoint& e) { return make_address(e.address, e.port); }

}  // namespace sockdrill::peer
