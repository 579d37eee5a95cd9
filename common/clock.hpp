// CLOCK_MONOTONIC in nanoseconds: the one clock that events and socket samples share.
#pragma once
#include <cstdint>
#include <ctime>

namespace sockdrill {
inline std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace sockdrill
