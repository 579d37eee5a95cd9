// A Snapshot for a person on a terminal: totals, each process's groups, listeners, counters.
#pragma once
#include <cstdint>
#include <string>

#include "harness/field/snapshot.hpp"

namespace sockdrill::field {

// "1,834"
std::string thousands(std::uint64_t n);
// "1,834 CLOSE_WAIT, 5 ESTABLISHED" (most first)
std::string states_text(const StateCounts& states);
// "1,834 CLOSE_WAIT 10.0.0.1:* -> 10.0.0.5:5432" plus what is known of the queues and times.
std::string group_text(const SocketGroup& group);

// `max_groups`: groups shown per process (the rest summed in one line).
std::string snapshot_text(const Snapshot& snapshot, std::size_t max_groups = 5);

}  // namespace sockdrill::field
