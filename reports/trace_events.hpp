// The events of the Chrome Trace Event Format that trace.cpp writes, each made whole here.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.hpp"

namespace sockdrill::reports::trace {

// Times are a case's milliseconds; the format counts microseconds.
double micros(double t_ms);

// "M" metadata: the name and place of a process or of one of its threads (tracks).
Json process_name(int pid, std::string_view name, int sort_index);
Json thread_name(int pid, int tid, std::string_view name, int sort_index);

// "I": a moment on one thread's track.
Json instant(int pid, int tid, double t_ms, std::string_view name, Json args);
// "X": a slice from `from_ms` to `to_ms` on one thread's track.
Json complete(int pid, int tid, double from_ms, double to_ms, std::string_view name, Json args);
// "C": the values of one counter (one series per member of `values`) from `t_ms` on.
Json counter(int pid, double t_ms, std::string_view name, Json values);
// "b" / "e": an async slice of the span keyed by `id` (cat "connection"); pairs with the same id
// nest in the order they are written.
Json async_begin(int pid, const std::string& id, double t_ms, std::string_view name, Json args);
Json async_end(int pid, const std::string& id, double t_ms, std::string_view name);

// "0x1a2b": a socket cookie as the span's id.
std::string cookie_id(std::uint64_t cookie);

}  // namespace sockdrill::reports::trace
