// The case's timeline in action: cues, kills, packet faults and toxic changes at their times.
#include "harness/run/timeline_player.hpp"

#include <signal.h>

namespace sockdrill {

TimelinePlayer::TimelinePlayer(const CaseSpec& spec, PeerTable& peers, PeerSupervisor& supervisor,
                               FaultPlan& faults, const CaseClock& clock, ErrorLatch& errors,
                               std::function<WireView()> wire)
    : spec_(spec),
      peers_(peers),
      supervisor_(supervisor),
      faults_(faults),
      clock_(clock),
      errors_(errors),
      wire_(std::move(wire)) {}

void TimelinePlayer::play_until(std::int64_t now_ms) {
  while (next_ < spec_.timeline.size() && spec_.timeline[next_].at_ms <= now_ms && !errors_.raised())
    play(spec_.timeline[next_++]);
}

std::optional<std::int64_t> TimelinePlayer::next_ms() const {
  if (next_ >= spec_.timeline.size()) return std::nullopt;
  return spec_.timeline[next_].at_ms;
}

void TimelinePlayer::play(const TimelineEntry& e) {
  const double t_ms = static_cast<double>(clock_.now_us()) / 1000.0;
  auto written = [&](const char* kind, std::string text, std::string remark = "") {
    if (!remark.empty()) text += " (" + remark + ")";
    note({t_ms, kind, std::move(text), Json{{kind, e.written}}});
  };
  switch (e.kind) {
    case TimelineEntry::Kind::cue:
      supervisor_.broadcast(protocol::Cue{e.cue_name});
      note({t_ms, "cue", e.cue_name, Json{{"cue", e.cue_name}}});
      break;
    case TimelineEntry::Kind::kill: {
      PeerSlot& p = peers_.named(e.peer);
      const std::string signal = e.signal == SIGKILL ? "KILL" : "TERM";
      std::string text = e.peer + " " + signal;
      if (p.proc && !p.exited) {
        p.killed_by_timeline = true;
        ::kill(p.proc->pid(), e.signal);
      } else {
        text += " (not running at that time)";
      }
      note({t_ms, "kill", text, Json{{"kill", e.peer}, {"signal", signal}}});
      break;
    }
    case TimelineEntry::Kind::fault:
      try {
        faults_.run(e, wire_());
      } catch (const std::exception& ex) {
        errors_.raise(ErrorCode::harness, ex.what());
      }
      written("fault", e.fault.action == FaultSpec::clear ? "clear"
                                                          : std::string(e.fault.action == FaultSpec::drop ? "drop" : "reject") +
                                                                packet_match_text(e.fault.match));
      break;
    case TimelineEntry::Kind::toxic: {
      PeerSlot& p = peers_.named(e.toxic.proxy);
      const protocol::ToxicLine line{e.toxic.add, e.toxic.remove};
      const std::string text =
          e.toxic.proxy + (e.toxic.add ? " add " + e.toxic.add->name : " remove " + e.toxic.remove);
      if (p.proc && !p.exited) {
        supervisor_.send(p, line);
        written("toxic", text);
      } else if (!p.started) {
        p.held_lines.push_back(protocol::to_line(line));  // a proxy with start_ms starts with it
        written("toxic", text, "the proxy starts later, with this change");
      } else {
        written("toxic", text, "the proxy was not running at that time");
      }
      break;
    }
  }
}

}  // namespace sockdrill
