// What a case's timeline chart shows, aggregated so that its size is bounded whatever the case.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/record.hpp"

namespace sockdrill::reports::chart {

// Past these, the chart aggregates: a case of 10,000 connections draws as much as one of ten.
inline constexpr std::size_t kMaxColumns = 240;  // time columns of the state counts
inline constexpr std::size_t kMaxSeries = 10;    // lines; the smaller ones are summed into one
inline constexpr std::size_t kMaxMarks = 300;    // single markers in a chart before binning
inline constexpr std::size_t kMaxLanes = 8;      // event lanes; the last one takes the rest
inline constexpr std::size_t kBins = 120;        // bins per lane once binned

struct Span {
  double from_ms = 0, to_ms = 0;
};

// Every instant the chart shows: t = 0, the samples, events, timeline and windows, the end.
Span time_range(const CaseRecord& c);

// One line: a peer's sockets in one state (or the sum of the lines left out).
struct Series {
  std::string name;                  // "server CLOSE_WAIT", "other sockets (12 lines)"
  std::vector<std::int64_t> values;  // one per column; -1 before the first sample
  std::int64_t max = 0;
};

// Socket counts per column. Exact: a column per sample, lasting until the next (samples are
// kept when they change). Otherwise equal columns, each holding the maximum it saw, so a
// short peak is never lost.
struct CountChart {
  std::vector<Span> columns;
  bool exact = true;
  std::vector<Series> series;
  std::int64_t max = 0;
};
CountChart count_chart(const CaseRecord& c, Span range);

// A marker: one event or note, or a bin of them (count > 1, or `binned` lanes).
struct Mark {
  Span at;  // a single instant has from == to
  std::int64_t count = 1;
  std::string text;  // what hover shows
  enum Tone { plain, alarm, reset, exit } tone = plain;
};

struct Lane {
  std::string name;
  std::vector<Mark> marks;
  bool binned = false;
};

// Events, one lane per peer (in the peers' order, the last lane shared past kMaxLanes).
std::vector<Lane> event_lanes(const CaseRecord& c, Span range);
// The runner's timeline: cues, kills, faults, toxics, late starts.
Lane timeline_lane(const CaseRecord& c, Span range);

// "12.5" (at most one decimal; "0" never "-0"), in the C locale whatever the global one.
std::string ms_text(double ms);

}  // namespace sockdrill::reports::chart
