// The timeline chart's data: the time range, socket counts per column, event and timeline marks.
#include "reports/chart_data.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

namespace sockdrill::reports::chart {
namespace {

struct SeriesKey {
  std::size_t peer_order;  // the peer's place in the record, unknown names after
  std::string peer, state;
  auto operator<=>(const SeriesKey&) const = default;
};

std::size_t peer_order(const CaseRecord& c, const std::string& peer) {
  for (std::size_t i = 0; i < c.peers.size(); ++i)
    if (c.peers[i].name == peer) return i;
  return c.peers.size();
}

Mark::Tone event_tone(const EventRecord& e) {
  if (e.kind == "exit") return e.code.value_or(0) == 0 ? Mark::exit : Mark::alarm;
  if (e.kind == "closed" && e.detail == "abort") return Mark::reset;
  if (e.kind == "error" || e.kind == "connect_failed" || e.kind == "bind_failed" ||
      e.kind == "timeout")
    return Mark::alarm;
  return Mark::plain;
}

std::string event_text(const EventRecord& e) {
  std::string text = ms_text(e.t_ms) + " ms " + e.peer + " " + e.kind;
  if (e.errno_name) text += " " + *e.errno_name;
  if (e.code) text += " code " + std::to_string(*e.code);
  if (e.bytes) text += " " + std::to_string(*e.bytes) + " bytes";
  if (e.conn) text += " conn " + std::to_string(*e.conn);
  if (e.step) text += " step " + std::to_string(*e.step);
  if (!e.local.empty()) text += " " + e.local;
  if (!e.remote.empty()) text += " - " + e.remote;
  if (!e.detail.empty()) text += " (" + e.detail + ")";
  return text;
}

// What a bin tallies an event as: its kind, with its errno or exit code.
std::string tally_key(const EventRecord& e) {
  if (e.errno_name) return e.kind + " " + *e.errno_name;
  if (e.code) return e.kind + " " + std::to_string(*e.code);
  return e.kind;
}

// Items spread over kBins equal bins of `range`: a count, the strongest tone and a tally each.
class Bins {
 public:
  explicit Bins(Span range) : range_(range), bins_(kBins) {}

  void add(double t_ms, const std::string& key, Mark::Tone tone) {
    const double width = (range_.to_ms - range_.from_ms) / static_cast<double>(kBins);
    auto i = static_cast<std::size_t>(
        std::clamp((t_ms - range_.from_ms) / width, 0.0, static_cast<double>(kBins - 1)));
    Bin& b = bins_[i];
    ++b.count;
    b.tone = std::max(b.tone, tone);
    ++b.tally[key];
  }

  std::vector<Mark> marks(const std::string& noun) const {
    const double width = (range_.to_ms - range_.from_ms) / static_cast<double>(kBins);
    std::vector<Mark> out;
    for (std::size_t i = 0; i < bins_.size(); ++i) {
      const Bin& b = bins_[i];
      if (b.count == 0) continue;
      Span at{range_.from_ms + width * static_cast<double>(i),
              range_.from_ms + width * static_cast<double>(i + 1)};
      std::string text = ms_text(at.from_ms) + " to " + ms_text(at.to_ms) +
                         " ms: " + std::to_string(b.count) + " " + noun +
                         (b.count == 1 ? "" : "s") + ":";
      bool first = true;
      for (const auto& [key, n] : b.tally) {
        text += (first ? " " : ", ") + key + " " + std::to_string(n);
        first = false;
      }
      out.push_back({at, b.count, std::move(text), b.tone});
    }
    return out;
  }

 private:
  struct Bin {
    std::int64_t count = 0;
    Mark::Tone tone = Mark::plain;
    std::map<std::string, std::int64_t> tally;
  };
  Span range_;
  std::vector<Bin> bins_;
};

// The socket count of every (peer, state) at every sample; zero where a sample omits it.
std::map<SeriesKey, std::vector<std::int64_t>> per_sample(const CaseRecord& c) {
  std::map<SeriesKey, std::vector<std::int64_t>> all;
  for (std::size_t i = 0; i < c.samples.size(); ++i)
    for (const auto& [peer, counts] : c.samples[i].sockets)
      for (const auto& [state, n] : counts) {
        auto& values = all[{peer_order(c, peer), peer, state}];
        values.resize(c.samples.size(), 0);
        values[i] = n;
      }
  return all;
}

}  // namespace

std::string ms_text(double ms) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, ms, std::chars_format::fixed, 1);
  std::string text(buf, ec == std::errc() ? end : buf);
  if (text.size() > 2 && text.ends_with(".0")) text.resize(text.size() - 2);
  return text == "-0" ? "0" : text;
}

Span time_range(const CaseRecord& c) {
  Span r{0, c.duration_ms};
  auto take = [&](double t) {
    r.from_ms = std::min(r.from_ms, t);
    r.to_ms = std::max(r.to_ms, t);
  };
  for (const SampleRecord& s : c.samples) take(s.t_ms);
  for (const EventRecord& e : c.events) take(e.t_ms);
  for (const TimelineNote& n : c.timeline) take(n.t_ms);
  for (const ExpectationRecord& x : c.expectations) {
    if (x.window_to_ms) take(*x.window_to_ms);
    if (x.decided_at_ms) take(*x.decided_at_ms);
  }
  if (r.to_ms <= r.from_ms) r.to_ms = r.from_ms + 1;
  return r;
}

CountChart count_chart(const CaseRecord& c, Span range) {
  CountChart chart;
  if (c.samples.empty()) return chart;
  auto all = per_sample(c);

  // Lines in the record's order; past kMaxSeries the smallest (by maximum) are summed into one.
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> lines;
  std::vector<std::pair<std::int64_t, const SeriesKey*>> by_max;
  for (const auto& [key, values] : all)
    by_max.emplace_back(*std::max_element(values.begin(), values.end()), &key);
  std::stable_sort(by_max.begin(), by_max.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const SeriesKey*> kept, rest;
  for (std::size_t i = 0; i < by_max.size(); ++i)
    (all.size() <= kMaxSeries || i + 1 < kMaxSeries ? kept : rest).push_back(by_max[i].second);
  for (const auto& [key, values] : all)
    if (std::find(kept.begin(), kept.end(), &key) != kept.end())
      lines.emplace_back(key.peer + " " + key.state, values);
  if (!rest.empty()) {
    std::vector<std::int64_t> sum(c.samples.size(), 0);
    for (const SeriesKey* key : rest)
      for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += all[*key][i];
    lines.emplace_back("other sockets (" + std::to_string(rest.size()) + " lines)", sum);
  }

  const std::size_t n = c.samples.size();
  chart.exact = n <= kMaxColumns;
  if (chart.exact) {
    for (std::size_t i = 0; i < n; ++i)
      chart.columns.push_back({c.samples[i].t_ms, i + 1 < n ? c.samples[i + 1].t_ms : range.to_ms});
  } else {
    const double width = (range.to_ms - range.from_ms) / static_cast<double>(kMaxColumns);
    for (std::size_t j = 0; j < kMaxColumns; ++j)
      chart.columns.push_back({range.from_ms + width * static_cast<double>(j),
                               range.from_ms + width * static_cast<double>(j + 1)});
  }
  for (auto& [name, values] : lines) {
    Series s{name, {}, 0};
    if (chart.exact) {
      s.values = values;
    } else {
      // Each column: the value held at its start, and every sample inside it; the maximum.
      std::size_t next = 0;  // the first sample not yet at or before the column's start
      std::int64_t held = -1;
      for (const Span& col : chart.columns) {
        while (next < n && c.samples[next].t_ms <= col.from_ms) held = values[next++];
        std::int64_t value = held;
        while (next < n && c.samples[next].t_ms < col.to_ms) {
          held = values[next++];
          value = std::max(value, held);
        }
        s.values.push_back(value);
      }
    }
    s.max = std::max<std::int64_t>(0, *std::max_element(s.values.begin(), s.values.end()));
    chart.max = std::max(chart.max, s.max);
    chart.series.push_back(std::move(s));
  }
  return chart;
}

std::vector<Lane> event_lanes(const CaseRecord& c, Span range) {
  // Lanes: peers with events in the record's order, then names it does not list.
  std::set<std::string> with_events, seen;
  for (const EventRecord& e : c.events) with_events.insert(e.peer);
  std::vector<std::string> names;
  for (const PeerRecord& p : c.peers)
    if (with_events.contains(p.name) && seen.insert(p.name).second) names.push_back(p.name);
  for (const EventRecord& e : c.events)
    if (seen.insert(e.peer).second) names.push_back(e.peer);
  const bool shared = names.size() > kMaxLanes;  // the last lane takes every peer from there
  std::vector<Lane> lanes;
  std::map<std::string, std::size_t> lane_of;
  for (std::size_t i = 0; i < names.size(); ++i) {
    lane_of[names[i]] = shared ? std::min(i, kMaxLanes - 1) : i;
    if (!shared || i + 1 < kMaxLanes) lanes.push_back({names[i], {}, false});
  }
  if (shared) lanes.push_back({"other peers", {}, false});
  if (c.events.size() <= kMaxMarks) {
    for (const EventRecord& e : c.events)
      lanes[lane_of[e.peer]].marks.push_back({{e.t_ms, e.t_ms}, 1, event_text(e), event_tone(e)});
    return lanes;
  }
  std::vector<Bins> bins(lanes.size(), Bins(range));
  for (const EventRecord& e : c.events) {
    const std::size_t lane = lane_of[e.peer];
    const bool other = shared && lane == kMaxLanes - 1;
    bins[lane].add(e.t_ms, other ? e.peer + " " + tally_key(e) : tally_key(e), event_tone(e));
  }
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    lanes[i].marks = bins[i].marks("event");
    lanes[i].binned = true;
  }
  return lanes;
}

Lane timeline_lane(const CaseRecord& c, Span range) {
  Lane lane{"timeline", {}, c.timeline.size() > kMaxMarks};
  auto tone = [](const TimelineNote& n) {
    return n.kind == "kill" ? Mark::alarm : n.kind == "fault" ? Mark::reset : Mark::plain;
  };
  if (!lane.binned) {
    for (const TimelineNote& n : c.timeline)
      lane.marks.push_back(
          {{n.t_ms, n.t_ms}, 1, ms_text(n.t_ms) + " ms " + n.kind + ": " + n.text, tone(n)});
    return lane;
  }
  Bins bins(range);
  for (const TimelineNote& n : c.timeline) bins.add(n.t_ms, n.kind, tone(n));
  lane.marks = bins.marks("entry");
  return lane;
}

}  // namespace sockdrill::reports::chart
