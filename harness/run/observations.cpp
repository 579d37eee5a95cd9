// Observations of the kernel, held until every peer has reported past them, then judged.
#include "harness/run/observations.hpp"

#include "common/clock.hpp"

namespace sockdrill {

Observations::Observations(const CaseSpec& spec, PeerTable& peers, Sampler& sampler,
                           FaultPlan& faults, ExpectationEngine& engine, EventLog& events,
                           const CaseClock& clock, const RunnerCounts& counts)
    : spec_(spec),
      peers_(peers),
      sampler_(sampler),
      faults_(faults),
      engine_(engine),
      events_(events),
      clock_(clock),
      counts_(counts) {}

void Observations::take(const std::function<void()>& drain) {
  const std::int64_t started_ns = monotonic_ns();
  Sample s = sampler_.take(peers_.commands(), drain);
  last_lead_ns_ = s.begin_ns - started_ns;
  Observation obs;
  obs.begin_us = clock_.rel_us(s.begin_ns);
  std::int64_t end_ns = s.end_ns;
  if (faults_.needed()) {
    faults_.read_counters(obs.packets);
    end_ns = monotonic_ns();  // the counters were read after the sockets
  }
  if (counts_.needed()) {
    counts_.count(sampler_.last_records(), sampler_.last_owners(), obs.counted);
    end_ns = monotonic_ns();  // queue filters and counters were counted after the read
  }
  obs.end_us = clock_.rel_us(end_ns);
  obs.sockets = std::move(s.per_peer);
  // A command's bytes are known from this read on: progress events stamped at its end (a
  // received count of -1 takes back a FIN the previous read counted as data: command_bytes.cpp).
  for (const ByteGrowth& g : s.command_bytes) {
    for (auto [kind, n] : {std::pair{kBytesSent, g.sent}, std::pair{kBytesReceived, g.received}}) {
      if (n == 0) continue;
      RecordedEvent e;
      e.peer = g.peer;
      e.kind = kind;
      e.bytes = n;
      events_.add(std::move(e), s.end_ns);
    }
  }
  s.per_peer = obs.sockets;
  record_counts(s, obs.end_us);
  histories_.observe(static_cast<double>(obs.end_us) / 1000.0, sampler_.last_records(),
                     sampler_.last_owners(), sampler_.last_was_complete());
  last_begin_ns_ = s.begin_ns;
  last_duration_ns_ = monotonic_ns() - s.begin_ns;
  ++taken_;
  queue_.push_back({std::move(obs), end_ns});
}

void Observations::judge_up_to(std::int64_t watermark_ns) {
  while (!queue_.empty() && queue_.front().end_ns < watermark_ns) {
    engine_.observe(queue_.front().obs, events_.take_new());
    queue_.pop_front();
  }
}

std::optional<std::int64_t> Observations::newest_queued_end_ns() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.back().end_ns;
}

void Observations::record_counts(const Sample& s, std::int64_t t_us) {
  reports::SampleRecord sample{static_cast<double>(t_us) / 1000.0, {}};
  auto add = [&](const std::string& name, const StateCounts& n) {
    reports::StateCounts per;
    for (TcpState st : kAllTcpStates)
      if (auto c = n[static_cast<std::size_t>(st)]) per[std::string(tcp_state_name(st))] = c;
    if (!per.empty()) sample.sockets[name] = std::move(per);
  };
  for (std::size_t i = 0; i < s.per_peer.size(); ++i) add(spec_.peers[i].name, s.per_peer[i]);
  add("(unattributed)", s.unattributed);
  if (!samples_.empty() && samples_.back().sockets == sample.sockets) return;  // kept when they change
  samples_.push_back(std::move(sample));
}

}  // namespace sockdrill
