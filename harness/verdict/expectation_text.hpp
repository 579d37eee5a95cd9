// The words and records of a verdict: how expectations, events and samples read in messages.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "harness/verdict/expectations.hpp"
#include "harness/verdict/window_track.hpp"

namespace sockdrill::verdict_text {

// Caps that keep messages readable and reports bounded on cases with thousands of sockets.
inline constexpr std::size_t kMessageEventCap = 20;   // events listed in a message
inline constexpr std::size_t kReportEventCap = 200;   // events listed in "observed"
inline constexpr std::size_t kReportValueCap = 1000;  // [t_ms, value] pairs in "observed"
inline constexpr std::size_t kMessageChangeCap = 10;  // value changes listed in a message
inline constexpr std::size_t kWindowChangeCap = 64;   // value changes kept per window

// "1000" for whole milliseconds, "1000.4" otherwise, so a sample just past a bound is visibly so.
std::string format_ms(std::int64_t t_us);
double to_ms(std::int64_t t_us);
std::string plural(std::int64_t n, const char* word);

// "sent@1ms(4 bytes)", "error@5ms(ECONNRESET)", "exit@9ms(code 1)".
std::string event_text(const RecordedEvent& ev);
// What a failure shows after its verdict sentence: the peer's last sample, and its events for
// selectors that count events.
std::string context_text(const Selector& sel, const std::string& peer_name, int peer,
                         const Observation* sample, const std::vector<RecordedEvent>* peer_events);
// The "observed" record of a decided expectation (see ExpectationResult::observed).
reports::ObservedRecord observed_record(const WindowTrack& track, const std::string& peer_name,
                                        const Observation* sample,
                                        const std::vector<RecordedEvent>* peer_events);

}  // namespace sockdrill::verdict_text
