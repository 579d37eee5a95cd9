// The events a behaviour raises (protocol/event.hpp), and the sink they go to.
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/event.hpp"

namespace sockdrill::behaviors {

// An event is what the protocol carries (protocol/event.hpp).
using Event = protocol::Event;

// Where events go: the peer writes them to stdout at once, tests collect them.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(const Event& e) = 0;
};

// "127.0.0.1:80" or "[::1]:80"; "?" for an address family that is not IP.
std::string endpoint_text(const sockaddr_storage& addr);
// The address part alone ("127.0.0.1", "::1") and the port, as a `bound` line carries them.
std::string address_text(const sockaddr_storage& addr);
int port_of(const sockaddr_storage& addr);
// getsockname()/getpeername() as endpoint text; empty when the call fails.
std::string local_endpoint(int fd);
std::string remote_endpoint(int fd);

}  // namespace sockdrill::behaviors
