// Starting, hearing, syncing and ending the case's processes: sockdrill-peers and commands.
#include "harness/run/peer_supervisor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <climits>

#include "common/errno_names.hpp"
#include "harness/run/peer_launch.hpp"

namespace sockdrill {

PeerSupervisor::PeerSupervisor(const CaseSpec& spec, std::string peer_program,
                               std::string case_name, PeerTable& peers, const CaseClock& clock,
                               ErrorLatch& errors, EventLog& events, std::uint64_t seed)
    : spec_(spec),
      peer_program_(std::move(peer_program)),
      case_name_(std::move(case_name)),
      peers_(peers),
      clock_(clock),
      errors_(errors),
      events_(events),
      seed_(seed) {}

bool PeerSupervisor::start_command(PeerSlot& p) {
  std::string problem;
  auto launch = command_launch(p, peers_, spec_, problem);
  if (!launch) {
    errors_.raise(ErrorCode::peer_died, "cannot start peer \"" + p.spec->name + "\": " + problem);
    return false;
  }
  p.argv = launch->argv;
  p.proc = std::make_unique<PeerProcess>();
  try {
    p.proc->start_command(io_, launch->argv, launch->env);
  } catch (const std::exception& e) {
    p.proc.reset();
    errors_.raise(ErrorCode::peer_died, "cannot start peer \"" + p.spec->name + "\": " + e.what());
    return false;
  }
  p.started = true;
  p.ready = true;  // "commands started": nothing to wait for
  p.started_ns = monotonic_ns();
  return true;
}

bool PeerSupervisor::start(PeerSlot& p) {
  if (p.is_command()) return start_command(p);
  std::string problem;
  auto config = peer_config(p, peers_, spec_, seed_, clock_, problem);
  if (!config) {
    errors_.raise(ErrorCode::peer_died, "cannot start peer \"" + p.spec->name + "\": " + problem);
    return false;
  }
  p.proc = std::make_unique<PeerProcess>();
  try {
    // The case and peer names on its command line make `ps` readable (and tests precise).
    p.proc->start(io_, peer_program_, {"--case", case_name_, "--peer", p.spec->name});
  } catch (const std::exception& e) {
    p.proc.reset();
    errors_.raise(ErrorCode::peer_died, "cannot start peer \"" + p.spec->name + "\": " + e.what());
    return false;
  }
  p.started = true;
  p.started_ns = monotonic_ns();
  p.synced_ns = p.started_ns;  // it cannot have stamped anything before it existed
  p.proc->send_line(protocol::to_json(*config).dump(-1, ' ', false, Json::error_handler_t::replace));
  for (auto& cue : cues_given_) send(p, protocol::Cue{cue});
  for (auto& line : p.held_lines) p.proc->send_line(line);
  p.held_lines.clear();
  return true;
}

void PeerSupervisor::send(PeerSlot& p, const protocol::RunnerMessage& message) {
  if (p.proc && !p.exited && !p.is_command()) p.proc->send_line(protocol::to_line(message));
}

void PeerSupervisor::broadcast(const protocol::RunnerMessage& message) {
  if (auto* cue = std::get_if<protocol::Cue>(&message)) cues_given_.push_back(cue->name);
  for (auto& p : peers_.all()) send(p, message);
}

void PeerSupervisor::sync_past(std::int64_t t_ns) {
  for (auto& p : peers_.all()) {
    if (!p.speaks() || p.exited || p.sync_pending || p.synced_ns > t_ns) continue;
    if (p.proc->send_line(protocol::to_line(protocol::Sync{next_sync_++}))) {
      p.sync_pending = true;
      p.sync_sent_ns = monotonic_ns();
    }
  }
}

std::int64_t PeerSupervisor::watermark_ns() const {
  std::int64_t mark = LLONG_MAX;
  for (auto& p : peers_.all())
    if (p.speaks()) mark = std::min(mark, p.synced_ns);
  return mark;
}

void PeerSupervisor::pump(std::int64_t until_ns) {
  std::vector<pollfd> fds;
  for (auto& p : peers_.all()) {
    if (!p.proc) continue;
    if (!p.proc->eof()) fds.push_back({p.proc->stdout_fd(), POLLIN, 0});
    if (p.proc->is_command() && !p.proc->err_eof()) fds.push_back({p.proc->stderr_fd(), POLLIN, 0});
  }
  const std::int64_t wait_ns = std::max<std::int64_t>(0, until_ns - monotonic_ns());
  timespec timeout{static_cast<time_t>(wait_ns / 1'000'000'000), static_cast<long>(wait_ns % 1'000'000'000)};
  ::ppoll(fds.data(), fds.size(), &timeout, nullptr);  // with no fds: a precise sleep
  for (auto& p : peers_.all())
    if (p.proc)
      for (auto& line : p.proc->drain_lines()) handle_line(p, line);
  reap();
}

void PeerSupervisor::handle_line(PeerSlot& p, const std::string& line) {
  std::string problem;
  auto message = protocol::read_peer_line(line, problem);
  if (!message)
    return errors_.raise(ErrorCode::harness, "peer \"" + p.spec->name +
                                                 "\" wrote a line that is not a protocol message (" +
                                                 problem + "): " + line.substr(0, 300));
  handle(p, *message);
}

void PeerSupervisor::handle(PeerSlot& p, const protocol::PeerMessage& message) {
  if (std::holds_alternative<protocol::Ready>(message)) {
    p.ready = true;
  } else if (auto* bound = std::get_if<protocol::Bound>(&message)) {
    const Endpoint endpoint{bound->address, bound->port};
    if (!p.listening) p.listening = endpoint;
    if (on_bound) on_bound(p, endpoint);
  } else if (auto* ev = std::get_if<protocol::Event>(&message)) {
    RecordedEvent e;
    e.peer = p.index;
    e.kind = ev->kind;
    if (ev->err) e.errno_name = errno_name(*ev->err);
    e.bytes = ev->bytes.value_or(0);
    e.conn = ev->conn.value_or(-1);
    e.step = ev->step.value_or(-1);
    e.local = ev->local;
    e.remote = ev->remote;
    e.detail = ev->detail;
    events_.add(std::move(e), ev->t_ns);
  } else if (auto* synced = std::get_if<protocol::Synced>(&message)) {
    p.sync_pending = false;
    p.synced_ns = std::max(p.synced_ns, synced->t_ns);
  } else if (auto* limit = std::get_if<protocol::Limit>(&message)) {
    errors_.raise(ErrorCode::limit, "peer \"" + p.spec->name + "\" reached a limit of this machine: " +
                                        limit->message);
  } else if (auto* fatal = std::get_if<protocol::Fatal>(&message)) {
    errors_.raise(ErrorCode::harness,
                  "peer \"" + p.spec->name + "\" could not run its configuration: " + fatal->message);
  }
}

void PeerSupervisor::reap() {
  for (;;) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    const std::int64_t now = monotonic_ns();
    for (auto& p : peers_.all()) {
      if (!p.proc || p.proc->pid() != pid) continue;
      // Its last lines first, so the order stays true.
      for (auto& line : p.proc->drain_lines()) handle_line(p, line);
      p.exited = true;
      p.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      RecordedEvent e;
      e.peer = p.index;
      e.kind = "exit";
      e.code = p.exit_code;
      events_.add(std::move(e), now);
      if (ending_) continue;
      if (p.is_command()) {
        // A program under test that ends is data, not a harness failure; only a status other
        // than the expected one fails the case.
        const auto& expected = p.spec->command->exit_code;
        if (expected && *expected != p.exit_code)
          failures_.push_back({p.spec->name, *expected, p.exit_code, clock_.rel_us(now), clock_.t0_given()});
      } else if (!p.killed_by_timeline) {
        errors_.raise(ErrorCode::peer_died,
                      "peer \"" + p.spec->name + "\" (sockdrill-peer, pid " + std::to_string(pid) +
                          ") exited unexpectedly with status " + std::to_string(p.exit_code) +
                          (clock_.t0_given() ? " at " + std::to_string(clock_.rel_us(now) / 1000) + " ms"
                                             : " before t = 0") +
                          (p.exit_code == protocol::kFatalExitCode ? " (a harness error; see its message above)" : ""));
      }
    }
  }
}

std::string PeerSupervisor::silent_peers(std::int64_t longer_than_ns) const {
  std::string out;
  const std::int64_t now = monotonic_ns();
  for (auto& p : peers_.all())
    if (p.speaks() && p.sync_pending && now - p.sync_sent_ns > longer_than_ns)
      out += (out.empty() ? "" : ", ") + std::string("\"") + p.spec->name + "\" (" +
             std::to_string((now - p.sync_sent_ns) / kNsPerMs) + " ms)";
  return out;
}

bool PeerSupervisor::commands_done() const {
  return std::all_of(peers_.all().begin(), peers_.all().end(), [](const PeerSlot& p) {
    return !p.is_command() || !p.spec->command->exit_code || p.exited;
  });
}

std::string PeerSupervisor::commands_running() const {
  std::string out;
  for (auto& p : peers_.all())
    if (p.is_command() && p.spec->command->exit_code && !p.exited)
      out += (out.empty() ? "" : ", ") + std::string("command \"") + p.spec->name +
             "\" had not exited (expected exit_code " + std::to_string(*p.spec->command->exit_code) +
             ", never seen)";
  return out;
}

void PeerSupervisor::kill_all() {
  for (auto& p : peers_.all())
    if (p.proc && !p.exited) ::kill(p.proc->pid(), SIGKILL);
}

}  // namespace sockdrill
