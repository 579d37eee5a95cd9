// The events a behaviour raises (protocol.hpp "event" lines), and the sink they go to.
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

#include "common/json.hpp"

namespace sockdrill::behaviors {

struct Event {
  std::int64_t t_ns = 0;  // CLOCK_MONOTONIC when it happened; 0 = stamp when emitted
  std::string kind;       // listening connected connect_failed accepted sent received eof ...
  std::optional<int> conn;
  std::optional<int> step;
  std::optional<std::int64_t> bytes;
  std::optional<int> err;  // an errno value; written as its symbolic name
  std::string local;       // "ADDRESS:PORT", empty when not relevant
  std::string remote;
  std::string detail;
};

// Where events go: the peer writes them to stdout at once, tests collect them.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(const Event& e) = 0;
};

// The protocol line object of an event: {"type":"event","t_ns":...,"kind":...,...}.
Json event_to_json(const Event& e);

// "127.0.0.1:80" or "[::1]:80"; "?" for an address family that is not IP.
std::string endpoint_text(const sockaddr_storage& addr);
// The address part alone ("127.0.0.1", "::1") and the port, as a `bound` line carries them.
std::string address_text(const sockaddr_storage& addr);
int port_of(const sockaddr_storage& addr);
// getsockname()/getpeername() as endpoint text; empty when the call fails.
std::string local_endpoint(int fd);
std::string remote_endpoint(int fd);

}  // namespace sockdrill::behaviors
