// The case loop: start peers, give t = 0, follow the timeline, observe, judge, end.
#include "harness/run/runner.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <random>

#include "common/utf8.hpp"
#include "harness/faults/fault_plan.hpp"
#include "harness/observe/packet_capture.hpp"
#include "harness/observe/sampler.hpp"
#include "harness/run/case_clock.hpp"
#include "harness/run/case_outcome.hpp"
#include "harness/run/case_report.hpp"
#include "harness/run/error_latch.hpp"
#include "harness/run/event_log.hpp"
#include "harness/run/observations.hpp"
#include "harness/run/peer_startup.hpp"
#include "harness/run/peer_supervisor.hpp"
#include "harness/run/peer_table.hpp"
#include "harness/run/stop_request.hpp"
#include "harness/run/timeline_player.hpp"
#include "harness/verdict/expectations.hpp"

namespace sockdrill {
namespace {

class CaseRun {
 public:
  CaseRun(const CaseSpec& spec, const RunOptions& options, const IsolationInfo& isolation)
      : spec_(spec),
        options_(options),
        isolation_(isolation),
        seed_(spec.seed ? *spec.seed : std::random_device{}()),
        peers_(spec),
        events_(clock_),
        engine_(spec),
        faults_(spec, seed_),
        counts_(spec),
        supervisor_(spec, options.peer_program, options.display_name, peers_, clock_, errors_,
                    events_, seed_) {}

  reports::CaseRecord run() {
    try {
      open_capture();
      if (set_up() && start()) loop();
    } catch (const std::exception& e) {
      errors_.raise(ErrorCode::harness, std::string("harness error: ") + e.what());
    }
    return finish();
  }

 private:
  void open_capture();
  bool set_up();
  bool start();
  void loop();
  reports::CaseRecord finish();
  std::int64_t next_sample_ns() const;
  void start_late_peers();
  void claim_source(PeerSlot& p, SourceAddresses& source);
  WireView wire() const;

  const CaseSpec& spec_;
  const RunOptions& options_;
  const IsolationInfo& isolation_;
  std::uint64_t seed_;
  CaseClock clock_;
  ErrorLatch errors_;
  PeerTable peers_;
  EventLog events_;
  ExpectationEngine engine_;
  FaultPlan faults_;
  RunnerCounts counts_;
  PeerSupervisor supervisor_;
  std::unique_ptr<PacketCapture> capture_;  // --pcap
  std::unique_ptr<Sampler> sampler_;
  std::unique_ptr<Observations> observations_;
  std::unique_ptr<TimelinePlayer> timeline_;
  std::vector<std::int64_t> boundaries_ms_;
  struct Skip {
    std::string mechanism;  // "sysctl", "ipv6", "nftables", "tcp_counter"
    std::string reason;
  };
  std::optional<Skip> skip_;  // a mechanism this kernel lacks
  std::vector<std::string> warnings_;
};

// A client's or proxy's source addresses are its own from the start: the observer knows its
// sockets by them before any port is chosen.
void CaseRun::claim_source(PeerSlot& p, SourceAddresses& source) {
  sampler_->attribution().claim_address(p.index, source.v4);
  try {
    add_loopback_ipv6(source.v6);
    sampler_->attribution().claim_address(p.index, source.v6);
  } catch (const std::exception& e) {
    // Without IPv6 in this kernel the peer connects over IPv4 only.
    if (source.v6 != "::")
      warnings_.push_back(std::string("peer \"") + p.spec->name + "\" has no IPv6 address: " + e.what());
    source.v6 = "::";
  }
}

WireView CaseRun::wire() const {
  WireView w;
  for (const PeerSlot& p : peers_.all()) {
    if (p.spec->start_ms && p.listens_first() && !p.listening) {
      w.not_there_yet.insert(p.spec->name);
      continue;
    }
    PeerIdentity id;
    if (p.spec->kind == PeerKind::client) {
      id.v4 = p.source.v4;
      id.v6 = p.source.v6;
    } else if (p.listening) {
      const std::string& a = p.listening->address;
      const bool wildcard = a == "0.0.0.0" || a == "::";
      (is_ipv6_literal(a) ? id.v6 : id.v4) = wildcard ? "" : a;
      id.port = p.listening->port;
      id.source_v4 = p.source.v4;  // a proxy: its relays' upstream connections as well
      id.source_v6 = p.source.v6;
    } else {
      continue;  // not started, or not listening: rules naming it are refused when built
    }
    for (const SourceAddresses& more : p.more_sources) {  // a client's or proxy's other processes
      id.more_v4.push_back(more.v4);
      if (more.v6 != "::") id.more_v6.push_back(more.v6);
    }
    w.identities[p.spec->name] = id;
  }
  return w;
}

// Loopback is up (prepare_case_namespace) and no peer has started: the capture sees every packet.
// A capture that cannot be made is a warning; the case runs and is judged all the same.
void CaseRun::open_capture() {
  if (!options_.pcap_file) return;
  try {
    capture_ = std::make_unique<PacketCapture>(*options_.pcap_file);
  } catch (const std::exception& e) {
    warnings_.push_back("no packet capture (--pcap): " + std::string(e.what()));
  }
}

bool CaseRun::set_up() {
  for (const SysctlFailure& f : apply_sysctls(spec_.sysctl)) {
    if (f.err == ENOENT) skip_ = {"sysctl", "this kernel has no " + f.key + " in a network namespace"};
    else errors_.raise(ErrorCode::harness, "cannot apply " + f.message);
  }
  if (!ipv6_available() && case_uses_ipv6(spec_))
    skip_ = {"ipv6", "the case uses IPv6 addresses and this kernel has no IPv6"};
  if (skip_ || errors_.raised()) return false;
  try {
    sampler_ = std::make_unique<Sampler>(peers_.is_command());
  } catch (const std::exception& e) {
    errors_.raise(ErrorCode::harness,
                  std::string("cannot open sock_diag netlink in the case's namespace: ") + e.what());
    return false;
  }
  sampler_->set_needed_states(engine_.needed_state_mask());
  for (PeerSlot& p : peers_.all()) {
    if (p.source.v4.empty()) continue;
    claim_source(p, p.source);
    for (SourceAddresses& more : p.more_sources) claim_source(p, more);
  }
  observations_ = std::make_unique<Observations>(spec_, peers_, *sampler_, faults_, engine_, events_, clock_,
                                                 counts_);
  timeline_ = std::make_unique<TimelinePlayer>(spec_, peers_, supervisor_, faults_, clock_, errors_,
                                               [this] { return wire(); });
  supervisor_.on_bound = [this](PeerSlot& p, const Endpoint& endpoint) {
    sampler_->attribution().claim(p.index, endpoint.address, static_cast<std::uint16_t>(endpoint.port));
    if (clock_.t0_given()) faults_.peer_arrived(wire());
  };
  boundaries_ms_ = engine_.boundary_times_ms();
  return true;
}

bool CaseRun::start() {
  const std::int64_t deadline = clock_.run_start_ns() + spec_.timeout_ms * kNsPerMs;
  if (!start_peers_before_t0(peers_, supervisor_, *sampler_, errors_, deadline)) return false;
  if (faults_.needed()) {
    try {
      faults_.start(wire());
    } catch (const NftUnavailable& e) {
      skip_ = {"nftables", e.what()};
      return false;
    } catch (const std::exception& e) {
      errors_.raise(ErrorCode::harness, std::string("cannot set up packet counters: ") + e.what());
      return false;
    }
  }
  if (auto missing = counts_.start()) {
    skip_ = {"tcp_counter", "this kernel has no TCP counter " + *missing +
                                " (in /proc/net/snmp or /proc/net/netstat)"};
    return false;
  }
  clock_.give_t0();
  events_.t0_given();
  // Entries at 0 ms are in force at t = 0: a fault at 0 catches the very first SYN.
  timeline_->play_until(0);
  supervisor_.broadcast(protocol::Start{clock_.t0_ns()});
  return !errors_.raised();
}

std::int64_t CaseRun::next_sample_ns() const {
  if (observations_->taken() == 0) return clock_.t0_ns();
  const std::int64_t last = observations_->last_begin_ns();
  // Reads that take longer than sample_ms are spaced out to leave the peers half the machine;
  // the bounds of windows are read on time all the same.
  std::int64_t next = last + std::max(spec_.sample_ms * kNsPerMs, 2 * observations_->last_duration_ns());
  for (std::int64_t b : boundaries_ms_) {
    const std::int64_t at = clock_.at_ns(b) - observations_->last_lead_ns();
    if (at > last && at < next) next = at;
  }
  return next;
}

void CaseRun::start_late_peers() {
  const std::int64_t now_ms = clock_.now_ms();
  auto needs_listening = [&](const PeerSlot& p) {
    for (const std::string& name : p.spec->needs)
      if (!peers_.named(name).listening) return false;
    return true;
  };
  for (PeerSlot& p : peers_.all()) {
    // A late peer that needs another (its server started at the same time) waits for it.
    if (p.started || !p.spec->start_ms || *p.spec->start_ms > now_ms || !needs_listening(p)) continue;
    timeline_->note({static_cast<double>(clock_.now_us()) / 1000.0, "start", p.spec->name + " starts", nullptr});
    if (supervisor_.start(p) && p.must_listen) find_command_listener(p, peers_, *sampler_);
  }
}

void CaseRun::loop() {
  const std::int64_t deadline = clock_.at_ns(spec_.timeout_ms);
  auto drain = [this] { supervisor_.drain(); };
  for (;;) {
    if (stop_requested()) {
      errors_.raise(ErrorCode::interrupted, "interrupted: the run was asked to stop, so the case "
                                            "was ended and its namespaces removed");
      return;
    }
    timeline_->play_until(clock_.now_ms());
    start_late_peers();
    for (PeerSlot& p : peers_.all())  // a late command that others connect to: listening yet?
      if (p.must_listen && p.started && !p.listening && find_command_listener(p, peers_, *sampler_))
        faults_.peer_arrived(wire());
    if (monotonic_ns() >= next_sample_ns()) observations_->take(drain);
    if (auto newest = observations_->newest_queued_end_ns()) supervisor_.sync_past(*newest);
    observations_->judge_up_to(supervisor_.watermark_ns());
    if (errors_.raised()) return;
    if (engine_.all_decided() && supervisor_.commands_done()) return;
    if (monotonic_ns() >= deadline) {
      std::string what = engine_.all_decided() ? supervisor_.commands_running()
                                               : "not every expectation was decided";
      if (auto silent = supervisor_.silent_peers(500 * kNsPerMs); !silent.empty())
        what += "; these peers did not say which events they had written (no answer to the "
                "runner's sync for): " + silent;
      errors_.raise(ErrorCode::timeout, "the case reached its time limit (timeout_ms " +
                                            std::to_string(spec_.timeout_ms) + "): " + what);
      return;
    }
    // Sleep until the next thing to do, waking early for peer lines.
    std::int64_t wake = std::min(next_sample_ns(), deadline);
    if (auto t = timeline_->next_ms()) wake = std::min(wake, clock_.at_ns(*t));
    for (const PeerSlot& p : peers_.all())  // a late peer whose time came waits for lines instead
      if (!p.started && p.spec->start_ms && clock_.at_ns(*p.spec->start_ms) > monotonic_ns())
        wake = std::min(wake, clock_.at_ns(*p.spec->start_ms));
    supervisor_.pump(wake);
  }
}

reports::CaseRecord CaseRun::finish() {
  supervisor_.ending();
  const std::int64_t end_ns = monotonic_ns();
  const std::int64_t end_us = clock_.t0_given() ? clock_.rel_us(end_ns) : 0;
  if (skip_)
    engine_.finish_undecided("the case was skipped: " + skip_->reason, end_us);
  else if (errors_.raised())
    engine_.finish_undecided("the case ended first: " + errors_.reason(), end_us);
  else
    engine_.finish_undecided("the case ended first", end_us);
  std::string nftables;
  try {
    if (sampler_) sampler_->kill_commands(peers_.commands());
    nftables = faults_.ruleset_text();
  } catch (const std::exception& e) {
    warnings_.push_back(std::string("while ending the case: ") + e.what());
  }
  supervisor_.kill_all();
  if (capture_)
    for (std::string& w : capture_->finish()) warnings_.push_back(std::move(w));
  if (sampler_ && sampler_->notices_lost())
    warnings_.push_back("the kernel dropped some socket destroy notices (its netlink buffer was "
                        "full): byte counts of command peers may be short");
  CaseOutcome outcome = skip_ ? CaseOutcome{"skip", skip_->mechanism, skip_->reason}
                              : decide_outcome(errors_, engine_.results(), supervisor_.command_failures());
  static const std::vector<reports::TimelineNote> kNoNotes;
  static const std::vector<reports::SampleRecord> kNoSamples;
  reports::CaseRecord record =
      case_record({spec_, options_.display_name, isolation_, clock_, end_ns, seed_, outcome, peers_,
                   supervisor_.command_failures(), engine_.results(), engine_.late_events(),
                   events_, timeline_ ? timeline_->notes() : kNoNotes, nftables,
                   observations_ ? observations_->samples() : kNoSamples,
                   observations_ ? observations_->taken() : 0, warnings_});
  if (observations_) {
    std::vector<std::string> peer_names;
    for (const PeerSpec& p : spec_.peers) peer_names.push_back(p.name);
    observations_->socket_histories().fill(record, peer_names);
  }
  if (sampler_) {
    record.dump_repeats_dropped = static_cast<std::int64_t>(sampler_->dump_repairs().repeats);
    record.dump_skips_found = static_cast<std::int64_t>(sampler_->dump_repairs().skipped);
  }
  if (capture_) record.pcap = valid_utf8(capture_->file().string());
  return record;
}

}  // namespace

reports::CaseRecord run_case(const CaseSpec& spec, const RunOptions& options,
                             const IsolationInfo& isolation) {
  CaseRun run(spec, options, isolation);
  return run.run();
}

}  // namespace sockdrill
