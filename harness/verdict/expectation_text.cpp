// How expectations, events and samples read in verdict messages and "observed" records.
#include "harness/verdict/expectation_text.hpp"

#include <cstdio>

namespace sockdrill {
namespace verdict_text {

std::string format_ms(std::int64_t t_us) {
  if (t_us % 1000 == 0) return std::to_string(t_us / 1000);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(t_us) / 1000.0);
  return buf;
}

double to_ms(std::int64_t t_us) { return static_cast<double>(t_us) / 1000.0; }

std::string plural(std::int64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

namespace {

bool carries_bytes(const RecordedEvent& ev) {
  return ev.kind == "sent" || ev.kind == "received" || ev.bytes != 0;
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

bool has_counts(int peer, const Observation& obs) {
  return peer >= 0 && static_cast<std::size_t>(peer) < obs.sockets.size();
}

// "client: ESTABLISHED=1, LISTEN=1" in the kernel's state order, or "client: no sockets".
std::string sample_text(const std::string& name, int peer, const Observation& obs) {
  std::string text = name + ":";
  bool any = false;
  if (has_counts(peer, obs)) {
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

reports::LastSample last_sample(const std::string& name, int peer, const Observation& obs) {
  reports::LastSample last{to_ms(obs.end_us), name, {}};
  if (has_counts(peer, obs))
    for (std::size_t slot = 1; slot < kTcpStateSlots; ++slot)
      if (obs.sockets[peer][slot] != 0)
        last.sockets[std::string(tcp_state_name(static_cast<TcpState>(slot)))] = obs.sockets[peer][slot];
  return last;
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

bool lists_events(const Selector& sel) {
  return sel.kind == Selector::events || sel.kind == Selector::bytes;
}

}  // namespace

std::string event_text(const RecordedEvent& ev) {
  std::string text = ev.kind + "@" + format_ms(ev.t_us) + "ms";
  std::vector<std::string> extras;
  if (!ev.errno_name.empty()) extras.push_back(ev.errno_name);
  if (ev.code) extras.push_back("code " + std::to_string(*ev.code));
  if (carries_bytes(ev)) extras.push_back(plural(ev.bytes, "byte"));
  if (!extras.empty()) {
    text += "(";
    for (std::size_t i = 0; i < extras.size(); ++i) text += (i ? ", " : "") + extras[i];
    text += ")";
  }
  return text;
}

std::string context_text(const Selector& sel, const std::string& peer_name, int peer,
                         const Observation* sample, const std::vector<RecordedEvent>* peer_events) {
  std::string text;
  if (sample)
    text += "; last sample at " + format_ms(sample->end_us) + " ms: " +
            sample_text(peer_name, peer, *sample);
  if (peer_events && lists_events(sel))
    text += "; events of " + peer_name + " so far: " + events_text(*peer_events);
  return text;
}

reports::ObservedRecord observed_record(const WindowTrack& track, const std::string& peer_name,
                                        const Observation* sample,
                                        const std::vector<RecordedEvent>* peer_events) {
  reports::ObservedRecord observed;
  for (const auto& [t, v] : track.values()) observed.values.emplace_back(to_ms(t), v);
  const auto& latest = track.latest();
  if (latest && (track.values().empty() || track.values().back() != *latest))
    observed.values.emplace_back(to_ms(latest->first), latest->second);
  observed.values_omitted = track.values_omitted();
  if (sample) observed.last_sample = last_sample(peer_name, track.peer, *sample);
  if (peer_events && lists_events(track.spec.selector)) {
    auto& list = observed.events.emplace();
    for_head_and_tail(
        peer_events->size(), kReportEventCap,
        [&](std::size_t k) { list.push_back(event_record((*peer_events)[k], "")); },
        [&](std::size_t n) { observed.events_omitted = static_cast<std::int64_t>(n); });
  }
  return observed;
}

}  // namespace verdict_text

namespace {

std::string quantity_text(const Quantity& q) {
  if (q.min && q.max && *q.min == *q.max) return "count " + std::to_string(*q.min);
  if (q.min && q.max)
    return "count {min " + std::to_string(*q.min) + ", max " + std::to_string(*q.max) + "}";
  if (q.min) return "count {min " + std::to_string(*q.min) + "}";
  return "count {max " + std::to_string(q.max.value_or(0)) + "}";
}

// " with recv_q {min 1}" for a socket filter.
std::string range_text(const char* name, const std::optional<Quantity>& q) {
  if (!q) return "";
  std::string text = quantity_text(*q);  // "count ..."
  return std::string(" with ") + name + text.substr(5);
}

std::string selector_text(const Selector& s) {
  switch (s.kind) {
    case Selector::sockets: {
      std::string text = "sockets of peer \"" + s.peer + "\" in ";
      for (std::size_t i = 0; i < s.states.size(); ++i)
        text += (i > 0 ? " or " : "") + std::string(tcp_state_name(s.states[i]));
      return text + range_text("recv_q", s.recv_q) + range_text("send_q", s.send_q);
    }
    case Selector::counter:
      return "counter " + s.counter_name + " (increase since t = 0)";
    case Selector::events: {
      std::string text = "events of peer \"" + s.peer + "\" kind \"" + s.event_kind + "\"";
      if (s.errno_name) text += " errno \"" + *s.errno_name + "\"";
      if (s.code) text += " code " + std::to_string(*s.code);
      return text;
    }
    case Selector::bytes:
      return std::string("bytes ") + (s.dir_sent ? "sent" : "received") + " by peer \"" + s.peer + "\"";
    case Selector::packets:
      return "packets" + packet_match_text(s.packet_match);
  }
  return "?";
}

std::string window_text(const Expectation& e) {
  if (e.by_ms) return "by " + std::to_string(*e.by_ms) + " ms";
  return "from " + std::to_string(e.from_ms.value_or(0)) + " to " +
         std::to_string(e.until_ms.value_or(0)) + " ms";
}

// The short forms of a test's name: "server CLOSE_WAIT", "count >= 1", "300..1400 ms".
std::string selector_title(const Selector& s) {
  auto joined = [](const auto& items, auto name) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : "|") + std::string(name(item));
    return text;
  };
  switch (s.kind) {
    case Selector::sockets:
      return s.peer + " " + joined(s.states, [](TcpState st) { return tcp_state_name(st); }) +
             (s.recv_q ? " recv_q" : "") + (s.send_q ? " send_q" : "");
    case Selector::counter:
      return s.counter_name;
    case Selector::events:
      return s.peer + " " + s.event_kind + (s.errno_name ? " " + *s.errno_name : "") +
             (s.code ? " code " + std::to_string(*s.code) : "");
    case Selector::bytes:
      return s.peer + " bytes " + (s.dir_sent ? "sent" : "received");
    case Selector::packets: {
      const PacketMatch& m = s.packet_match;
      return "packets" + (m.from.empty() ? "" : " from " + m.from) +
             (m.to.empty() ? "" : " to " + m.to) +
             (m.flags.empty() ? "" : " " + joined(m.flags, [](const std::string& f) { return f; }));
    }
  }
  return "?";
}

std::string count_title(const Quantity& q) {
  if (q.min && q.max && *q.min == *q.max) return "count " + std::to_string(*q.min);
  if (q.min && q.max) return "count " + std::to_string(*q.min) + ".." + std::to_string(*q.max);
  if (q.min) return "count >= " + std::to_string(*q.min);
  return "count <= " + std::to_string(q.max.value_or(0));
}

std::string window_title(const Expectation& e) {
  if (e.by_ms) return "by " + std::to_string(*e.by_ms) + " ms";
  return std::to_string(e.from_ms.value_or(0)) + ".." + std::to_string(e.until_ms.value_or(0)) +
         " ms";
}

}  // namespace

std::string describe_expectation(const Expectation& e) {
  return selector_text(e.selector) + ": " + quantity_text(e.count) + " " + window_text(e);
}

std::string expectation_title(const Expectation& e) {
  return selector_title(e.selector) + " " + count_title(e.count) + " " + window_title(e);
}

}  // namespace sockdrill
