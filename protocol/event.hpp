// An event as a peer reports it on the protocol: what happened, when, on which connection.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "common/json.hpp"

namespace sockdrill::protocol {

struct Event {
  std::int64_t t_ns = 0;  // CLOCK_MONOTONIC when it happened; 0 = stamp when written
  std::string kind;       // listening connected connect_failed accepted sent received eof ...
  std::optional<int> conn;
  std::optional<int> step;
  std::optional<std::int64_t> bytes;
  std::optional<int> err;  // an errno value; on the wire its symbolic name
  std::string local;       // "ADDRESS:PORT", empty when not relevant
  std::string remote;
  std::string detail;
};

// {"type":"event","t_ns":N,"kind":K,...}: optional fields only when set.
Json to_json(const Event& e);
// Appends to_json(e), stamped `t_ns`, as a protocol line with its '\n': the same text as
// to_line(e) with that stamp, written without building a Json (a relay writes two a read).
void append_line(const Event& e, std::int64_t t_ns, std::string& out);
// Reads what to_json wrote; false, with `problem` set, on a missing or mistyped field or an
// errno name this system does not know.
bool from_json(const Json& j, Event& e, std::string& problem);

}  // namespace sockdrill::protocol
