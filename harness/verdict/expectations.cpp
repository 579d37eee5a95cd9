// The expectation engine: turns observations and events into pass/fail verdicts with messages.
#include "harness/verdict/expectations.hpp"

#include <algorithm>
#include <cstdio>
#include <queue>
#include <stdexcept>

namespace sockdrill {

namespace {

// Caps that keep messages readable and reports bounded on cases with thousands of sockets.
constexpr std::size_t kMessageEventCap = 20;     // events listed in a message
constexpr std::size_t kReportEventCap = 200;     // events listed in "observed"
constexpr std::size_t kReportValueCap = 1000;    // [t_ms, value] pairs in "observed"
constexpr std::size_t kMessageChangeCap = 10;    // value changes listed in a message
constexpr std::size_t kWindowChangeCap = 64;     // value changes kept per window

// "1000" for whole milliseconds, "1000.4" otherwise, so a sample just past a bound is visibly so.
std::string format_ms(std::int64_t t_us) {
  if (t_us % 1000 == 0) return std::to_string(t_us / 1000);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(t_us) / 1000.0);
  return buf;
}

double to_ms(std::int64_t t_us) { return static_cast<double>(t_us) / 1000.0; }

std::string quantity_text(const Quantity& q) {
  if (q.min && q.max && *q.min == *q.max) return "count " + std::to_string(*q.min);
  if (q.min && q.max)
    return "count {min " + std::to_string(*q.min) + ", max " + std::to_string(*q.max) + "}";
  if (q.min) return "count {min " + std::to_string(*q.min) + "}";
  if (q.max) return "count {max " + std::to_string(*q.max) + "}";
  return "count {any}";
}

std::string selector_text(const Selector& s) {
  switch (s.kind) {
    case Selector::sockets: {
      std::string text = "sockets of peer \"" + s.peer + "\" in ";
      for (std::size_t i = 0; i < s.states.size(); ++i) {
        if (i > 0) text += " or ";
        text += tcp_state_name(s.states[i]);
      }
      return text;
    }
    case Selector::events: {
      std::string text = "events of peer \"" + s.peer + "\" kind \"" + s.event_kind + "\"";
      if (s.errno_name) text += " errno \"" + *s.errno_name + "\"";
      if (s.code) text += " code " + std::to_string(*s.code);
      return text;
    }
    case Selector::bytes:
      return std::string("bytes ") + (s.dir_sent ? "sent" : "received") + " by peer \"" + s.peer +
             "\"";
    case Selector::packets: {
      std::string text = "packets";
      const Json& m = s.packet_match;
      if (m.contains("from")) text += " from \"" + m["from"].get<std::string>() + "\"";
      if (m.contains("to")) text += " to \"" + m["to"].get<std::string>() + "\"";
      if (m.contains("flags")) {
        std::string flags;
        for (auto& f : m["flags"]) flags += (flags.empty() ? "" : "|") + f.get<std::string>();
        text += " with flags " + flags;
      }
      return text;
    }
  }
  return "?";
}

std::string window_text(const Expectation& e) {
  if (e.by_ms) return "by " + std::to_string(*e.by_ms) + " ms";
  return "from " + std::to_string(e.from_ms.value_or(0)) + " to " +
         std::to_string(e.until_ms.value_or(0)) + " ms";
}

std::string plural(std::int64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// "sent@1ms(4 bytes)", "error@5ms(ECONNRESET)", "exit@9ms(code 1)".
std::string event_text(const RecordedEvent& ev) {
  std::string text = ev.kind + "@" + format_ms(ev.t_us) + "ms";
  std::vector<std::string> extras;
  if (!ev.errno_name.empty()) extras.push_back(ev.errno_name);
  if (ev.code) extras.push_back("code " + std::to_string(*ev.code));
  if (ev.kind == "sent" || ev.kind == "received" || ev.bytes != 0)
    extras.push_back(plural(ev.bytes, "byte"));
  if (!extras.empty()) {
    text += "(";
    for (std::size_t i = 0; i < extras.size(); ++i) text += (i ? ", " : "") + extras[i];
    text += ")";
  }
  return text;
}

Json event_json(const RecordedEvent& ev) {
  Json j = Json::object();
  j["t_ms"] = to_ms(ev.t_us);
  j["kind"] = ev.kind;
  if (ev.conn >= 0) j["conn"] = ev.conn;
  if (ev.step >= 0) j["step"] = ev.step;
  if (!ev.errno_name.empty()) j["errno"] = ev.errno_name;
  if (ev.code) j["code"] = *ev.code;
  if (ev.kind == "sent" || ev.kind == "received" || ev.bytes != 0) j["bytes"] = ev.bytes;
  if (!ev.local.empty()) j["local"] = ev.local;
  if (!ev.remote.empty()) j["remote"] = ev.remote;
  if (!ev.detail.empty()) j["detail"] = ev.detail;
  return j;
}

// The head and the tail of a long list, with the middle counted: what a reader needs most is
// how it started and how it ended.
template <typename Item, typename Omitted>
void for_head_and_tail(std::size_t size, std::size_t cap, Item&& item, Omitted&& omitted) {
  if (size <= cap) {
    for (std::size_t i = 0; i < size; ++i) item(i);
    return;
  }
  const std::size_t head = cap / 2, tail = cap - head;
  for (std::size_t i = 0; i < head; ++i) item(i);
  omitted(size - cap);
  for (std::size_t i = size - tail; i < size; ++i) item(i);
}

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

}  // namespace

std::string describe_expectation(const Expectation& e) {
  return selector_text(e.selector) + ": " + quantity_text(e.count) + " " + window_text(e);
}

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
  std::optional<std::int64_t> previous_obs_us;
  std::optional<Observation> last_sample;  // the latest observation at or after t = 0
};

namespace {
// Per-expectation bookkeeping (ExpectationEngine::Track is this; helpers below take it).
struct TrackData {
  Expectation spec;
  int peer = -1;
  std::int64_t matching_events = 0;  // events selector: the count so far

  // Every observation from t = 0 until decided, as changes (for "observed").
  std::vector<std::pair<std::int64_t, std::int64_t>> values;  // (t_us, value)
  std::int64_t values_omitted = 0;
  std::optional<std::pair<std::int64_t, std::int64_t>> latest;  // last (t_us, value) seen

  // Observations inside the window ([0, by_ms] or [from_ms, until_ms]), for messages.
  std::int64_t window_count = 0;
  std::int64_t window_first_us = 0, window_last_us = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> window_changes;  // (t_us, value)
  std::int64_t window_changes_omitted = 0;

  bool eventually() const { return spec.by_ms.has_value(); }
  std::int64_t window_start_us() const { return eventually() ? 0 : *spec.from_ms * 1000; }
  std::int64_t window_end_us() const {
    return eventually() ? *spec.by_ms * 1000 : *spec.until_ms * 1000;
  }

  void record(std::int64_t t_us, std::int64_t value) {
    if (!latest || latest->second != value) {
      if (values.size() < kReportValueCap) values.emplace_back(t_us, value);
      else ++values_omitted;
    }
    latest.emplace(t_us, value);
  }

  void record_in_window(std::int64_t t_us, std::int64_t value) {
    if (window_count == 0) window_first_us = t_us;
    window_last_us = t_us;
    ++window_count;
    if (window_changes.empty() || window_changes.back().second != value) {
      if (window_changes.size() < kWindowChangeCap) window_changes.emplace_back(t_us, value);
      else ++window_changes_omitted;
    }
  }

  bool window_constant() const {
    return window_changes.size() == 1 && window_changes_omitted == 0;
  }

  // "saw 0 at every observation from 0 to 1000 ms (203 observations)" or the list of changes.
  std::string window_seen_text() const {
    if (window_count == 0) return "no observation was taken";
    const std::string span = "from " + format_ms(window_first_us) + " to " +
                             format_ms(window_last_us) + " ms";
    if (window_constant())
      return "saw " + std::to_string(window_changes.front().second) + " at every observation " +
             span + " (" + plural(window_count, "observation") + ")";
    std::string text = "saw ";
    for (std::size_t i = 0; i < window_changes.size() && i < kMessageChangeCap; ++i) {
      if (i > 0) text += ", ";
      text += std::to_string(window_changes[i].second) + " from " +
              format_ms(window_changes[i].first) + " ms";
    }
    const std::int64_t more =
        static_cast<std::int64_t>(window_changes.size()) -
        static_cast<std::int64_t>(std::min(window_changes.size(), kMessageChangeCap)) +
        window_changes_omitted;
    if (more > 0) text += ", ... " + plural(more, "more change");
    return text + " (" + plural(window_count, "observation") + " " + span + ")";
  }
};

}  // namespace

struct ExpectationEngine::Track : TrackData {};

namespace {

std::int64_t sockets_value(const Selector& s, int peer, const Observation& obs) {
  if (peer < 0 || static_cast<std::size_t>(peer) >= obs.sockets.size()) return 0;
  std::int64_t sum = 0;
  for (TcpState st : s.states) sum += obs.sockets[peer][static_cast<std::size_t>(st)];
  return sum;
}

bool event_matches(const Selector& s, const RecordedEvent& ev) {
  if (ev.kind != s.event_kind) return false;
  if (s.errno_name && ev.errno_name != *s.errno_name) return false;
  if (s.code && ev.code != s.code) return false;
  return true;
}

// "client: ESTABLISHED=1, LISTEN=1" in the kernel's state order, or "client: no sockets".
std::string sample_text(const std::string& name, int peer, const Observation& obs) {
  std::string text = name + ":";
  bool any = false;
  if (peer >= 0 && static_cast<std::size_t>(peer) < obs.sockets.size()) {
    for (std::size_t slot = 1; slot < kTcpStateSlots; ++slot) {
      const std::int64_t n = obs.sockets[peer][slot];
      if (n == 0) continue;
      text += std::string(any ? ", " : " ") +
              std::string(tcp_state_name(static_cast<TcpState>(slot))) + "=" + std::to_string(n);
      any = true;
    }
  }
  return any ? text : text + " no sockets";
}

Json sample_json(const std::string& name, int peer, const Observation& obs) {
  Json sockets = Json::object();
  if (peer >= 0 && static_cast<std::size_t>(peer) < obs.sockets.size())
    for (std::size_t slot = 1; slot < kTcpStateSlots; ++slot)
      if (obs.sockets[peer][slot] != 0)
        sockets[std::string(tcp_state_name(static_cast<TcpState>(slot)))] =
            obs.sockets[peer][slot];
  return Json{{"t_ms", to_ms(obs.t_us)}, {"peer", name}, {"sockets", std::move(sockets)}};
}

std::string events_text(const std::vector<RecordedEvent>& events) {
  if (events.empty()) return "none";
  std::string text;
  for_head_and_tail(
      events.size(), kMessageEventCap,
      [&](std::size_t i) { text += (text.empty() ? "" : ", ") + event_text(events[i]); },
      [&](std::size_t n) { text += ", ... " + std::to_string(n) + " more"; });
  return text;
}

}  // namespace

ExpectationEngine::ExpectationEngine(const CaseSpec& spec) : state_(std::make_unique<State>()) {
  for (const auto& p : spec.peers) state_->peer_names.push_back(p.name);
  state_->peers.resize(spec.peers.size());
  for (std::size_t i = 0; i < spec.expect.size(); ++i) {
    auto track = std::make_unique<Track>();
    track->spec = spec.expect[i];
    const Selector& sel = track->spec.selector;
    if (sel.kind != Selector::packets) {
      track->peer = spec.peer_index(sel.peer);
      if (track->peer < 0)
        throw std::invalid_argument("expectation " + std::to_string(i) + " (" +
                                    describe_expectation(track->spec) + ") names peer \"" +
                                    sel.peer + "\", which the case does not have");
      if (sel.kind == Selector::events) state_->peers[track->peer].event_tracks.push_back(i);
    }
    const bool eventually = track->spec.by_ms.has_value();
    const bool always = track->spec.from_ms.has_value() && track->spec.until_ms.has_value();
    if (eventually == always)
      throw std::invalid_argument("expectation " + std::to_string(i) +
                                  " needs exactly one window: by_ms, or from_ms with until_ms");
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

std::vector<std::int64_t> ExpectationEngine::boundary_times_ms() const {
  std::vector<std::int64_t> times;
  auto add = [&](std::int64_t t) { times.push_back(std::max<std::int64_t>(t, 0)); };
  for (const auto& track : tracks_) {
    const Expectation& e = track->spec;
    if (e.by_ms) {
      add(*e.by_ms - 1);
      add(*e.by_ms + 1);
    }
    if (e.from_ms) add(*e.from_ms);
    if (e.until_ms) {
      add(*e.until_ms - 1);
      add(*e.until_ms + 1);
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

namespace {

// What a failure shows after its verdict sentence: the peer's last sample, and its events for
// selectors that count events.
std::string context_text(const Selector& sel, const std::string& peer_name, int peer,
                         const Observation* sample,
                         const std::vector<RecordedEvent>* peer_events) {
  std::string text;
  if (sample)
    text += "; last sample at " + format_ms(sample->t_us) + " ms: " +
            sample_text(peer_name, peer, *sample);
  if (peer_events && (sel.kind == Selector::events || sel.kind == Selector::bytes))
    text += "; events of " + peer_name + " so far: " + events_text(*peer_events);
  return text;
}

// The "observed" record of a decided expectation (see ExpectationResult::observed).
Json observed_json(const TrackData& track, const std::string& peer_name,
                   const Observation* sample, const std::vector<RecordedEvent>* peer_events) {
  Json observed = Json::object();
  Json values = Json::array();
  for (const auto& [t, v] : track.values) values.push_back(Json::array({to_ms(t), v}));
  if (track.latest && (track.values.empty() || track.values.back() != *track.latest))
    values.push_back(Json::array({to_ms(track.latest->first), track.latest->second}));
  observed["values"] = std::move(values);
  if (track.values_omitted > 0) observed["values_omitted"] = track.values_omitted;
  if (sample) observed["last_sample"] = sample_json(peer_name, track.peer, *sample);
  const Selector& sel = track.spec.selector;
  if (peer_events && (sel.kind == Selector::events || sel.kind == Selector::bytes)) {
    Json list = Json::array();
    for_head_and_tail(
        peer_events->size(), kReportEventCap,
        [&](std::size_t k) { list.push_back(event_json((*peer_events)[k])); },
        [&](std::size_t n) { observed["events_omitted"] = n; });
    observed["events"] = std::move(list);
  }
  return observed;
}

}  // namespace

void ExpectationEngine::observe(const Observation& obs, std::span<const RecordedEvent> new_events) {
  State& st = *state_;
  if (st.previous_obs_us && obs.t_us < *st.previous_obs_us)
    throw std::invalid_argument("observation at " + format_ms(obs.t_us) +
                                " ms came after one at " + format_ms(*st.previous_obs_us) +
                                " ms; observations must come in time order");
  st.previous_obs_us = obs.t_us;

  for (const RecordedEvent& ev : new_events) st.waiting.push(QueuedEvent{ev, st.next_seq++});
  // Count every event up to this observation, once, into its peer's log and sums.
  while (!st.waiting.empty() && st.waiting.top().event.t_us <= obs.t_us) {
    const RecordedEvent& ev = st.waiting.top().event;
    if (ev.peer >= 0 && static_cast<std::size_t>(ev.peer) < st.peers.size()) {
      State::PeerLog& log = st.peers[ev.peer];
      // Bytes are counted from the per-read/write progress events (data as it moves); the
      // per-step `sent`/`received` events repeat those totals and are not added again.
      if (ev.kind == kBytesSent || ev.kind == kBytesReceived) {
        (ev.kind == kBytesSent ? log.bytes_sent : log.bytes_received) += ev.bytes;
        st.waiting.pop();
        continue;
      }
      for (std::size_t i : log.event_tracks)
        if (event_matches(tracks_[i]->spec.selector, ev)) ++tracks_[i]->matching_events;
      log.events.push_back(ev);
    }
    st.waiting.pop();
  }

  if (obs.t_us < 0) return;  // before t = 0 nothing is decided
  st.last_sample = obs;

  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    ExpectationResult& result = results_[i];
    if (result.status != ExpectationResult::pending) continue;
    Track& track = *tracks_[i];
    const Selector& sel = track.spec.selector;
    std::int64_t value = 0;
    switch (sel.kind) {
      case Selector::sockets: value = sockets_value(sel, track.peer, obs); break;
      case Selector::events: value = track.matching_events; break;
      case Selector::bytes: {
        const State::PeerLog& log = st.peers[track.peer];
        value = sel.dir_sent ? log.bytes_sent : log.bytes_received;
        break;
      }
      case Selector::packets:
        // Counted by the runner's packet counters; an observation without them decides nothing.
        if (i >= obs.packets.size() || obs.packets[i] < 0) continue;
        value = obs.packets[i];
        break;
    }
    track.record(obs.t_us, value);
    const bool holds = track.spec.count.holds(value);
    const bool in_window =
        obs.t_us >= track.window_start_us() && obs.t_us <= track.window_end_us();
    const bool past_window = obs.t_us > track.window_end_us();
    if (in_window) track.record_in_window(obs.t_us, value);

    static const std::vector<RecordedEvent> kNoEvents;
    const bool has_peer = track.peer >= 0;  // packets selectors name no single peer
    const std::string name = has_peer ? st.peer_names[track.peer] : std::string();
    const auto& peer_events = has_peer ? st.peers[track.peer].events : kNoEvents;
    const Observation* sample = has_peer ? &obs : nullptr;
    // Messages are built only at a decision: building them per observation would cost more
    // than the whole verdict on a case with thousands of events.
    auto fail = [&](std::string seen) {
      result.status = ExpectationResult::fail;
      result.message = "expected " + describe_expectation(track.spec) + "; " + seen +
                       context_text(sel, name, track.peer, sample, &peer_events);
    };
    auto pass = [&](std::string message) {
      result.status = ExpectationResult::pass;
      result.message = std::move(message);
    };

    if (track.eventually()) {
      if (in_window && holds)
        pass("held at " + format_ms(obs.t_us) + " ms");
      else if (past_window && track.window_count > 0)
        fail(track.window_seen_text());
      else if (past_window)
        fail("no observation was taken at or before " + std::to_string(*track.spec.by_ms) +
             " ms (the first was at " + format_ms(obs.t_us) + " ms)");
    } else {
      if (in_window && !holds)
        fail("saw " + std::to_string(value) + " at " + format_ms(obs.t_us) +
             " ms (first failure, " +
             (track.window_count == 1
                  ? std::string("at the first observation in the window)")
                  : "after " + plural(track.window_count - 1, "observation") +
                        " in the window that held)"));
      else if (past_window && track.window_count > 0)
        pass("held at every observation from " + std::to_string(*track.spec.from_ms) + " to " +
             std::to_string(*track.spec.until_ms) + " ms (" +
             plural(track.window_count, "observation") + ")");
      else if (past_window)
        // The runner samples at the window's bounds, so this is a scheduling gap; an unsampled
        // window must never count as held.
        fail("no observation was taken from " + std::to_string(*track.spec.from_ms) + " to " +
             std::to_string(*track.spec.until_ms) + " ms (the next was at " +
             format_ms(obs.t_us) + " ms), so it cannot be said to hold");
    }
    if (result.status == ExpectationResult::pending) continue;
    result.decided_at_us = obs.t_us;
    result.observed = observed_json(track, name, sample, &peer_events);
  }
}

void ExpectationEngine::finish_undecided(const std::string& why, std::int64_t t_us) {
  State& st = *state_;
  // Events up to the end are shown (not counted): they often explain why nothing happened.
  std::vector<std::vector<RecordedEvent>> shown(st.peers.size());
  for (std::size_t p = 0; p < st.peers.size(); ++p) shown[p] = st.peers[p].events;
  {
    auto waiting = st.waiting;
    while (!waiting.empty() && waiting.top().event.t_us <= t_us) {
      const RecordedEvent& ev = waiting.top().event;
      if (ev.peer >= 0 && static_cast<std::size_t>(ev.peer) < shown.size())
        shown[ev.peer].push_back(ev);
      waiting.pop();
    }
  }
  const Observation* sample = st.last_sample ? &*st.last_sample : nullptr;

  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    ExpectationResult& result = results_[i];
    if (result.status != ExpectationResult::pending) continue;
    const Track& track = *tracks_[i];
    const Selector& sel = track.spec.selector;
    std::string seen;
    Json observed = Json::object();
    if (track.window_count == 0) {
      seen = track.eventually() ? "no observation was taken"
                                : "no observation was taken in the window yet";
    } else if (track.eventually() || !track.window_constant()) {
      seen = track.window_seen_text();
    } else {
      seen = "held at every observation from " + format_ms(track.window_first_us) + " to " +
             format_ms(track.window_last_us) + " ms so far (" +
             plural(track.window_count, "observation") + ")";
    }
    result.status = ExpectationResult::fail;
    result.decided_at_us = t_us;
    result.message = "expected " + describe_expectation(track.spec) + "; " + why + "; " + seen;
    if (track.peer >= 0) {
      const std::string& name = st.peer_names[track.peer];
      result.message += context_text(sel, name, track.peer, sample, &shown[track.peer]);
      observed = observed_json(track, name, sample, &shown[track.peer]);
    } else {
      observed = observed_json(track, "", nullptr, nullptr);
    }
    result.observed = std::move(observed);
  }
}

}  // namespace sockdrill
