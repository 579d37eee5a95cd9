// Everything that must happen before t = 0: peers started in the order their references need.
#include "harness/run/peer_startup.hpp"

#include "common/clock.hpp"
#include "harness/run/stop_request.hpp"

namespace sockdrill {

bool find_command_listener(PeerSlot& p, PeerTable& peers, Sampler& sampler) {
  if (p.listening) return true;
  p.listening = sampler.command_listener(p.index, peers.commands());
  return p.listening.has_value();
}

namespace {

constexpr std::int64_t kPollSliceNs = 20'000'000;

// Pumps the peers' pipes until `done` or the deadline; false when the deadline came first.
bool wait_until(PeerSupervisor& supervisor, ErrorLatch& errors, std::int64_t deadline_ns,
                const std::function<bool()>& done) {
  while (!done()) {
    if (stop_requested())
      errors.raise(ErrorCode::interrupted, "interrupted before t = 0: the run was asked to stop");
    if (errors.raised()) return false;
    const std::int64_t now = monotonic_ns();
    if (now >= deadline_ns) return false;
    supervisor.pump(std::min(deadline_ns, now + kPollSliceNs));
  }
  return true;
}

bool starts_now(const PeerSlot& p) { return !p.spec->start_ms.has_value(); }

bool failed_its_exit_code(const PeerSlot& p, const PeerSupervisor& supervisor) {
  for (const CommandFailure& f : supervisor.command_failures())
    if (f.peer == p.spec->name) return true;
  return false;
}

// False when the case cannot go on because the program under test failed (see the header).
bool start_and_wait(PeerSlot& p, PeerTable& peers, PeerSupervisor& supervisor, Sampler& sampler,
                    ErrorLatch& errors, std::int64_t deadline_ns) {
  if (!supervisor.start(p)) return true;
  if (p.must_listen) {
    const bool ok = wait_until(supervisor, errors, deadline_ns, [&] {
      return find_command_listener(p, peers, sampler) || p.exited;
    });
    if (!ok)
      errors.raise(ErrorCode::timeout, "command \"" + p.spec->name + "\" did not listen within the "
                                       "case's time limit (other peers connect to it)");
    else if (!p.listening && failed_its_exit_code(p, supervisor))
      return false;
    else if (!p.listening)
      errors.raise(ErrorCode::peer_died, "command \"" + p.spec->name + "\" exited with status " +
                                             std::to_string(p.exit_code) +
                                             " before it listened (other peers connect to it)");
  } else if (p.listens_first() &&
             !wait_until(supervisor, errors, deadline_ns, [&] { return p.ready || p.exited; })) {
    errors.raise(ErrorCode::timeout,
                 "peer \"" + p.spec->name + "\" did not become ready within the case's time limit");
  }
  return true;
}

}  // namespace

bool start_peers_before_t0(PeerTable& peers, PeerSupervisor& supervisor, Sampler& sampler,
                           ErrorLatch& errors, std::int64_t deadline_ns) {
  auto can_start = [&](const PeerSlot& p) {
    for (auto& name : p.spec->needs) {
      const PeerSlot& needed = peers.named(name);
      if (starts_now(needed) && !needed.started) return false;
    }
    return true;
  };
  bool program_failed = false;
  auto stopped = [&] { return program_failed || errors.raised(); };
  for (bool progress = true; progress && !stopped();) {
    progress = false;
    for (auto& p : peers.all()) {
      if (stopped() || p.started || !starts_now(p) || !p.listens_first() || !can_start(p)) continue;
      program_failed = !start_and_wait(p, peers, supervisor, sampler, errors, deadline_ns);
      progress = true;
    }
  }
  for (auto& p : peers.all())  // peers that only connect (the checker refuses cycles)
    if (!stopped() && !p.started && starts_now(p))
      program_failed = !start_and_wait(p, peers, supervisor, sampler, errors, deadline_ns);
  if (stopped()) return false;
  const bool ready = wait_until(supervisor, errors, deadline_ns, [&] {
    for (auto& p : peers.all())
      if (p.started && !p.ready && !p.exited) return false;
    return true;
  });
  if (!ready) errors.raise(ErrorCode::timeout, "peers did not become ready within the case's time limit");
  return !errors.raised();
}

}  // namespace sockdrill
