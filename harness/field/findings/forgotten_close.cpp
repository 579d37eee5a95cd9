// forgotten_close: CLOSE_WAIT held by a live process, old or growing.
#include "harness/field/findings/finding.hpp"
#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {
namespace {

constexpr const char* kWill =
    "keep each socket and its buffers until the process calls close() or exits; with SO_KEEPALIVE, "
    "reset one once a probe finds the peer's socket gone";
constexpr const char* kWillNot =
    "time CLOSE_WAIT out: no sysctl bounds it (tcp_fin_timeout bounds only the peer's FIN_WAIT2)";

// The CLOSE_WAIT groups of a holder, with the oldest peer silence among them.
struct Held {
  std::uint64_t count = 0;
  std::uint32_t oldest_ms = 0;
  std::vector<const SocketGroup*> groups;
};

Held close_waits(const std::vector<SocketGroup>& groups) {
  Held held;
  for (const SocketGroup& g : groups) {
    if (g.state != TcpState::CLOSE_WAIT) continue;
    held.count += g.count;
    if (g.quiet_ms_max && *g.quiet_ms_max > held.oldest_ms) held.oldest_ms = *g.quiet_ms_max;
    held.groups.push_back(&g);
  }
  return held;
}

void add_groups(const Held& held, Finding& f) {
  for (std::size_t i = 0; i < held.groups.size() && i < 3; ++i) f.evidence.push_back(group_text(*held.groups[i]));
  if (held.groups.size() > 3) f.evidence.push_back("... and " + std::to_string(held.groups.size() - 3) + " more groups");
}

}  // namespace

void find_forgotten_close(const ExplainInput& in, std::vector<Finding>& out) {
  for (const ProcessSockets& p : in.now.processes) {
    const Held held = close_waits(p.groups);
    if (held.count == 0) continue;
    const ProcessSockets* earlier = process_in(in.before, p.pid);
    const std::uint64_t before = earlier ? count_of(earlier->states, TcpState::CLOSE_WAIT) : 0;
    const bool old = held.oldest_ms >= in.limits.min_age_ms;
    const bool growing = earlier && held.count > before;
    if (!old && !growing) continue;
    Finding f;
    f.kind = "forgotten_close";
    f.pid = p.pid;
    f.process = process_text(p);
    f.count = held.count;
    f.evidence.push_back(thousands(held.count) + " sockets in CLOSE_WAIT held by " + p.comm + " " +
                         std::to_string(p.pid) + ": their peers closed, the program has not");
    if (old) f.evidence.push_back("the oldest peer has been silent for " + thousands(held.oldest_ms / 1000) + " s");
    if (earlier) f.evidence.push_back("CLOSE_WAIT went from " + thousands(before) + " to " + thousands(held.count) + " " + interval_text(in));
    add_groups(held, f);
    f.kernel_will = kWill;
    f.kernel_will_not = kWillNot;
    f.example_case = "cases/close_wait/forgotten_close.json";
    out.push_back(std::move(f));
  }
  // Held by processes this user may not read: the same mechanism, owner unknown.
  const Held hidden = close_waits(in.now.unattributed.groups);
  if (hidden.count > 0 && hidden.oldest_ms >= in.limits.min_age_ms && in.now.only_pids.empty()) {
    Finding f;
    f.kind = "forgotten_close";
    f.process = "processes of other users (run as root to name them)";
    f.count = hidden.count;
    f.evidence.push_back(thousands(hidden.count) + " sockets in CLOSE_WAIT held by processes this user may not read");
    f.evidence.push_back("the oldest peer has been silent for " + thousands(hidden.oldest_ms / 1000) + " s");
    add_groups(hidden, f);
    f.kernel_will = kWill;
    f.kernel_will_not = kWillNot;
    f.example_case = "cases/close_wait/forgotten_close.json";
    out.push_back(std::move(f));
  }
}

}  // namespace sockdrill::field
