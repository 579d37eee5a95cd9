// One event of the case as the runner keeps it, and its one conversion to the report's form.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "reports/record.hpp"

namespace sockdrill {

// Progress events: bytes moved by one read or write of a peer. `bytes` expectations sum them;
// they are not events of the format (no selector can name them) and reports leave them out.
inline constexpr const char* kBytesSent = "bytes_sent";
inline constexpr const char* kBytesReceived = "bytes_received";

// From a peer's event line, an `exit` of a process, or a command's byte counts.
struct RecordedEvent {
  int peer = -1;
  std::int64_t t_us = 0;  // microseconds since t = 0 (may be negative: before t = 0)
  std::string kind;
  std::string errno_name;  // "" when none
  std::optional<int> code; // exit status for `exit`
  std::int64_t bytes = 0;  // for sent/received
  int conn = -1;
  int step = -1;
  std::string local, remote, detail;
};

// As reports show it; `peer_name` "" where the peer is known from the context.
reports::EventRecord event_record(const RecordedEvent& e, const std::string& peer_name);

}  // namespace sockdrill
