// The expectation engine: turns observations and events into verdicts with their messages.
#include "harness/verdict/expectations.hpp"

#include <algorithm>
#include <queue>
#include <stdexcept>

#include "harness/verdict/expectation_text.hpp"
#include "harness/verdict/window_track.hpp"

namespace sockdrill {

using namespace verdict_text;

namespace {

// An event waiting for an observation to reach its time.
struct QueuedEvent {
  RecordedEvent event;
  std::uint64_t seq;
};
struct LaterFirst {
  bool operator()(const QueuedEvent& a, const QueuedEvent& b) const {
    return a.event.t_us != b.event.t_us ? a.event.t_us > b.event.t_us : a.seq > b.seq;
  }
};

bool event_matches(const Selector& s, const RecordedEvent& ev) {
  if (ev.kind != s.event_kind) return false;
  if (s.errno_name && ev.errno_name != *s.errno_name) return false;
  if (s.code && ev.code != s.code) return false;
  return true;
}

}  // namespace

bool counted_by_runner(const Selector& s) {
  return s.kind == Selector::counter || (s.kind == Selector::sockets && (s.recv_q || s.send_q));
}

namespace {

std::int64_t sockets_value(const Selector& s, int peer, const Observation& obs) {
  if (peer < 0 || static_cast<std::size_t>(peer) >= obs.sockets.size()) return 0;
  std::int64_t sum = 0;
  for (TcpState st : s.states) sum += obs.sockets[peer][static_cast<std::size_t>(st)];
  return sum;
}

}  // namespace

struct ExpectationEngine::Track : WindowTrack {
  using WindowTrack::WindowTrack;
};

struct ExpectationEngine::State {
  struct PeerLog {
    std::vector<RecordedEvent> events;  // counted events, in time order
    std::int64_t bytes_sent = 0;
    std::int64_t bytes_received = 0;
    std::vector<std::size_t> event_tracks;  // tracks with an events selector on this peer
  };
  std::vector<std::string> peer_names;
  std::vector<PeerLog> peers;
  std::priority_queue<QueuedEvent, std::vector<QueuedEvent>, LaterFirst> waiting;
  std::uint64_t next_seq = 0;
  std::optional<std::int64_t> counted_until_us;  // events up to here are counted
  std::int64_t late = 0;
  std::optional<Observation> last_sample;  // the latest observation at or after t = 0
};

ExpectationEngine::ExpectationEngine(const CaseSpec& spec) : state_(std::make_unique<State>()) {
  for (const auto& p : spec.peers) state_->peer_names.push_back(p.name);
  state_->peers.resize(spec.peers.size());
  for (std::size_t i = 0; i < spec.expect.size(); ++i) {
    auto track = std::make_unique<Track>(spec.expect[i]);
    const Expectation& x = track->spec;
    const std::string which = "expectation " + std::to_string(i) + " (" + x.where.pointer + ")";
    if (x.selector.kind != Selector::packets && x.selector.kind != Selector::counter) {
      track->peer = spec.peer_index(x.selector.peer);
      if (track->peer < 0)
        throw std::invalid_argument(which + " names peer \"" + x.selector.peer +
                                    "\", which the case does not have");
      if (x.selector.kind == Selector::events) state_->peers[track->peer].event_tracks.push_back(i);
    }
    if (x.by_ms.has_value() == (x.from_ms.has_value() && x.until_ms.has_value()))
      throw std::invalid_argument(which + " needs exactly one window: by_ms, or from_ms with until_ms");
    if (!x.count.min && !x.count.max)
      throw std::invalid_argument(which + " has a count with no bound");
    tracks_.push_back(std::move(track));
  }
  results_.resize(tracks_.size());
}

ExpectationEngine::~ExpectationEngine() = default;

bool ExpectationEngine::all_decided() const {
  return std::all_of(results_.begin(), results_.end(), [](const ExpectationResult& r) {
    return r.status != ExpectationResult::pending;
  });
}

std::int64_t ExpectationEngine::late_events() const { return state_->late; }

std::vector<std::int64_t> ExpectationEngine::boundary_times_ms() const {
  std::vector<std::int64_t> times;
  auto add = [&](std::int64_t t) { times.push_back(std::max<std::int64_t>(t, 0)); };
  for (const auto& track : tracks_) {
    const Expectation& e = track->spec;
    // The last chance to be read inside the window, then the first moment past it.
    if (e.by_ms) {
      add(*e.by_ms - 1);
      add(*e.by_ms);
    } else {
      add(*e.from_ms);
      add(*e.until_ms - 1);
      add(*e.until_ms);
    }
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  return times;
}

std::uint32_t ExpectationEngine::needed_state_mask() const {
  std::uint32_t mask = 0;
  for (const auto& track : tracks_)
    if (track->spec.selector.kind == Selector::sockets)
      for (TcpState s : track->spec.selector.states) mask |= tcp_state_bit(s);
  return mask;
}

void ExpectationEngine::count_events_up_to(std::int64_t t_us) {
  State& st = *state_;
  while (!st.waiting.empty() && st.waiting.top().event.t_us <= t_us) {
    const RecordedEvent& ev = st.waiting.top().event;
    if (ev.peer >= 0 && static_cast<std::size_t>(ev.peer) < st.peers.size()) {
      State::PeerLog& log = st.peers[ev.peer];
      // Bytes are counted from the per-read/write progress events (data as it moves); the
      // per-step `sent`/`received` events repeat those totals and are not added again.
      if (ev.kind == kBytesSent || ev.kind == kBytesReceived) {
        (ev.kind == kBytesSent ? log.bytes_sent : log.bytes_received) += ev.bytes;
      } else {
        for (std::size_t i : log.event_tracks)
          if (event_matches(tracks_[i]->spec.selector, ev)) ++tracks_[i]->matching_events;
        log.events.push_back(ev);
      }
    }
    st.waiting.pop();
  }
  st.counted_until_us = t_us;
}

void ExpectationEngine::observe(const Observation& obs, std::span<const RecordedEvent> new_events) {
  State& st = *state_;
  if (st.counted_until_us && obs.end_us < *st.counted_until_us)
    throw std::invalid_argument("observation ending at " + format_ms(obs.end_us) +
                                " ms came after one ending at " + format_ms(*st.counted_until_us) +
                                " ms; observations must come in time order");
  for (const RecordedEvent& ev : new_events) {
    if (st.counted_until_us && ev.t_us <= *st.counted_until_us) ++st.late;
    st.waiting.push(QueuedEvent{ev, st.next_seq++});
  }
  if (obs.begin_us >= 0) decide_exact_bounds_before(obs.end_us);
  count_events_up_to(obs.end_us);
  if (obs.begin_us < 0) return;  // not wholly after t = 0: decides nothing
  st.last_sample = obs;
  for (std::size_t i = 0; i < tracks_.size(); ++i)
    if (results_[i].status == ExpectationResult::pending) decide(i, obs, &obs);
}

// Events and bytes are known exactly at any instant once every peer has reported past it, so
// they are also judged at their windows' own bounds: a read of the kernel that comes late does
// not hide an event that came in time.
void ExpectationEngine::decide_exact_bounds_before(std::int64_t end_us) {
  State& st = *state_;
  const std::int64_t after = st.last_sample ? st.last_sample->end_us : -1;
  std::vector<std::pair<std::int64_t, std::size_t>> due;  // (instant, track)
  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    const Track& track = *tracks_[i];
    const auto kind = track.spec.selector.kind;
    if (results_[i].status != ExpectationResult::pending ||
        (kind != Selector::events && kind != Selector::bytes))
      continue;
    for (std::int64_t bound : {track.window_start_us(), track.window_end_us()})
      if (bound > after && bound < end_us && (bound > 0 || !track.eventually())) due.emplace_back(bound, i);
  }
  std::sort(due.begin(), due.end());
  for (auto [instant, i] : due) {
    count_events_up_to(instant);
    Observation at;  // no read of the kernel: only the events up to this instant
    at.begin_us = at.end_us = instant;
    if (results_[i].status == ExpectationResult::pending)
      decide(i, at, st.last_sample ? &*st.last_sample : nullptr);
  }
}

void ExpectationEngine::decide(std::size_t i, const Observation& obs, const Observation* last_read) {
  State& st = *state_;
  ExpectationResult& result = results_[i];
  Track& track = *tracks_[i];
  const Selector& sel = track.spec.selector;
  std::int64_t value = 0;
  switch (sel.kind) {
    case Selector::sockets:
      if (!counted_by_runner(sel)) {
        value = sockets_value(sel, track.peer, obs);
        break;
      }
      [[fallthrough]];
    case Selector::counter:
      if (i >= obs.counted.size() || obs.counted[i] < 0) return;
      value = obs.counted[i];
      break;
    case Selector::events: value = track.matching_events; break;
    case Selector::bytes: {
      const State::PeerLog& log = st.peers[track.peer];
      value = sel.dir_sent ? log.bytes_sent : log.bytes_received;
      break;
    }
    case Selector::packets:
      // Counted by the runner's packet counters; an observation without them decides nothing.
      if (i >= obs.packets.size() || obs.packets[i] < 0) return;
      value = obs.packets[i];
      break;
  }
  const Interval r = track.reading(obs.begin_us, obs.end_us);
  track.record(r.end_us, value);
  const bool holds = track.spec.count.holds(value);
  const bool inside = track.inside(r);
  if (inside) track.record_in_window(r.end_us, value);

  static const std::vector<RecordedEvent> kNoEvents;
  const bool has_peer = track.peer >= 0;  // packets and counter selectors name no single peer
  const std::string name = has_peer ? st.peer_names[track.peer] : std::string();
  const auto& peer_events = has_peer ? st.peers[track.peer].events : kNoEvents;
  const Observation* sample = has_peer ? last_read : nullptr;
  // Messages are built only at a decision: building them per observation would cost more
  // than the whole verdict on a case with thousands of events.
  auto decided = [&](ExpectationResult::Status status, std::string text) {
    result.status = status;
    result.message = status == ExpectationResult::pass
                         ? std::move(text)
                         : "expected " + describe_expectation(track.spec) + "; " + text +
                               context_text(sel, name, track.peer, sample, &peer_events);
    result.decided_at_us = r.end_us;
    result.observed = observed_record(track, name, sample, &peer_events);
  };
  const std::string read_span = r.begin_us == r.end_us
                                    ? "at " + format_ms(r.end_us) + " ms"
                                    : "from " + format_ms(r.begin_us) + " to " + format_ms(r.end_us) + " ms";

  if (track.eventually()) {
    const std::string by = std::to_string(*track.spec.by_ms);
    if (inside && holds)
      decided(ExpectationResult::pass, "held at " + format_ms(r.end_us) + " ms");
    else if (track.past(r) && track.window_count() > 0)
      decided(ExpectationResult::fail, track.window_seen_text());
    else if (track.past(r))
      decided(ExpectationResult::undecided,
              "not decided: no observation was read wholly at or before " + by +
                  " ms (the first was read " + read_span + ")");
    return;
  }
  const std::string span = "from " + std::to_string(*track.spec.from_ms) + " to " +
                           std::to_string(*track.spec.until_ms) + " ms";
  if (inside && !holds)
    decided(ExpectationResult::fail,
            "saw " + std::to_string(value) + " at " + format_ms(r.end_us) + " ms (first failure, " +
                (track.window_count() == 1
                     ? std::string("at the first observation in the window)")
                     : "after " + plural(track.window_count() - 1, "observation") +
                           " in the window that held)"));
  else if (track.past(r) && track.window_count() > 0)
    decided(ExpectationResult::pass, "held at every observation " + span + " (" +
                                         plural(track.window_count(), "observation") + ")");
  else if (track.past(r))
    // An unsampled window must never count as held, nor as broken.
    decided(ExpectationResult::undecided,
            "not decided: no observation was read wholly " + span + " (the next was read " +
                read_span + "), so it can be said neither to hold nor to fail");
}

void ExpectationEngine::finish_undecided(const std::string& why, std::int64_t t_us) {
  State& st = *state_;
  // Events up to the end are shown (not counted): they often explain why nothing happened.
  std::vector<std::vector<RecordedEvent>> shown(st.peers.size());
  for (std::size_t p = 0; p < st.peers.size(); ++p) shown[p] = st.peers[p].events;
  for (auto waiting = st.waiting; !waiting.empty() && waiting.top().event.t_us <= t_us; waiting.pop()) {
    const RecordedEvent& ev = waiting.top().event;
    if (ev.peer >= 0 && static_cast<std::size_t>(ev.peer) < shown.size() && ev.kind != kBytesSent &&
        ev.kind != kBytesReceived)
      shown[ev.peer].push_back(ev);
  }
  const Observation* sample = st.last_sample ? &*st.last_sample : nullptr;

  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    ExpectationResult& result = results_[i];
    if (result.status != ExpectationResult::pending) continue;
    const Track& track = *tracks_[i];
    std::string seen;
    if (track.window_count() == 0)
      seen = track.eventually() ? "no observation was taken" : "no observation was taken in the window yet";
    else if (track.eventually() || !track.window_constant())
      seen = track.window_seen_text();
    else
      seen = "held at every observation from " + format_ms(track.window_first_us()) + " to " +
             format_ms(track.window_last_us()) + " ms so far (" +
             plural(track.window_count(), "observation") + ")";
    result.status = ExpectationResult::undecided;
    result.decided_at_us = t_us;
    result.message = "expected " + describe_expectation(track.spec) + "; not decided: " + why + "; " + seen;
    if (track.peer >= 0) {
      const std::string& name = st.peer_names[track.peer];
      result.message += context_text(track.spec.selector, name, track.peer, sample, &shown[track.peer]);
      result.observed = observed_record(track, name, sample, &shown[track.peer]);
    } else {
      result.observed = observed_record(track, "", nullptr, nullptr);
    }
  }
}

}  // namespace sockdrill
