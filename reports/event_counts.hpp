// A case's events at field size: counted per peer, kind and errno or exit code, and the list bounded.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "reports/record.hpp"

namespace sockdrill::reports {

// Every event of `events` counted per (peer, kind, errno, code), each count with the times of its
// first and last event; in order of first occurrence.
std::vector<EventCount> count_events(const std::vector<EventRecord>& events);

// Keeps at most `kept` events: past it, the first kept / 2 and the last kept - kept / 2 in list
// order (a run's start and end, where its story usually is). Returns how many were dropped.
std::int64_t bound_events(std::vector<EventRecord>& events, std::size_t kept = kEventsKept);

}  // namespace sockdrill::reports
