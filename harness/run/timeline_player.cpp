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
  const std::int64_t t_ms = clock_.now_ms();
  switch (e.kind) {
    case TimelineEntry::Kind::cue:
      supervisor_.broadcast(protocol::Cue{e.cue_name});
      note({{"t_ms", t_ms}, {"cue", e.cue_name}});
      break;
    case TimelineEntry::Kind::kill: {
      PeerSlot& p = peers_.named(e.peer);
      Json entry = {{"t_ms", t_ms}, {"kill", e.peer}, {"signal", e.signal == SIGKILL ? "KILL" : "TERM"}};
      if (p.proc && !p.exited) {
        p.killed_by_timeline = true;
        ::kill(p.proc->pid(), e.signal);
      } else {
        entry["detail"] = "not running at that time";
      }
      note(std::move(entry));
      break;
    }
    case TimelineEntry::Kind::fault:
      try {
        faults_.run(e, wire_());
      } catch (const std::exception& ex) {
        errors_.raise(ErrorCode::harness, ex.what());
      }
      note({{"t_ms", t_ms}, {"fault", e.written}});
      break;
    case TimelineEntry::Kind::toxic: {
      PeerSlot& p = peers_.named(e.toxic.proxy);
      const protocol::ToxicLine line{e.toxic.add, e.toxic.remove};
      Json entry = {{"t_ms", t_ms}, {"toxic", e.written}};
      if (p.proc && !p.exited) {
        supervisor_.send(p, line);
      } else if (!p.started) {
        p.held_lines.push_back(protocol::to_line(line));  // a proxy with start_ms starts with it
        entry["detail"] = "the proxy starts later, with this change";
      } else {
        entry["detail"] = "the proxy was not running at that time";
      }
      note(std::move(entry));
      break;
    }
  }
}

}  // namespace sockdrill
