// The runner's record of one case: everything that happened, as reports/ keeps it.
#include "harness/run/case_report.hpp"

#include "common/utf8.hpp"
#include "reports/event_counts.hpp"
#include "harness/verdict/expectations.hpp"

namespace sockdrill {
namespace {

reports::PeerRecord peer_record(PeerSlot& p, std::int64_t sent, std::int64_t received) {
  reports::PeerRecord r;
  r.name = p.spec->name;
  r.started = p.started;
  if (p.proc) r.pid = p.proc->pid();
  if (p.listening) r.listening = endpoint_text(*p.listening);
  if (p.exited) r.exit_code = p.exit_code;
  r.bytes_sent = sent;
  r.bytes_received = received;
  if (!p.is_command()) return r;
  r.command = true;
  r.argv = p.argv.empty() ? p.spec->command->argv : p.argv;  // as started, when it was
  r.expected_exit_code = p.spec->command->exit_code;
  if (p.proc) {
    p.proc->drain_output();  // whatever it wrote up to now
    r.stdout_tail = valid_utf8(p.proc->stdout_tail());
    r.stderr_tail = valid_utf8(p.proc->stderr_tail());
    r.stdout_truncated = p.proc->stdout_truncated();
    r.stderr_truncated = p.proc->stderr_truncated();
  }
  return r;
}

reports::ExpectationRecord expectation_record(const CaseSpec& spec, std::size_t i,
                                              const ExpectationResult& result) {
  const Expectation& x = spec.expect[i];
  reports::ExpectationRecord r;
  r.index = i;
  r.expect = Json::parse(x.text, nullptr, false);
  r.where = valid_utf8(spec.file.string()) + ":" + std::to_string(x.where.line) + ":" +
            std::to_string(x.where.column);
  r.pointer = x.where.pointer;
  r.title = expectation_title(x);
  using Result = reports::ExpectationRecord::Result;
  r.result = result.status == ExpectationResult::pass   ? Result::pass
             : result.status == ExpectationResult::fail ? Result::fail
                                                        : Result::undecided;
  if (result.decided_at_us >= 0) r.decided_at_ms = static_cast<double>(result.decided_at_us) / 1000.0;
  r.message = result.message;
  r.observed = result.observed;
  if (x.by_ms) {
    r.window_from_ms = 0;
    r.window_to_ms = static_cast<double>(*x.by_ms);
  } else if (x.from_ms && x.until_ms) {
    r.window_from_ms = static_cast<double>(*x.from_ms);
    r.window_to_ms = static_cast<double>(*x.until_ms);
  }
  r.label = describe_expectation(x);
  return r;
}

reports::Verdict verdict_of(const std::string& name) {
  return reports::verdict_from_name(name).value_or(reports::Verdict::error);
}

}  // namespace

reports::CaseRecord case_record(const CaseReportInput& in) {
  reports::CaseRecord r;
  r.name = in.display_name;
  r.file = valid_utf8(in.spec.file.string());
  r.outcome = {verdict_of(in.outcome.verdict), in.outcome.code, in.outcome.reason};
  r.duration_ms = static_cast<double>((in.end_ns - in.clock.run_start_ns()) / kNsPerMs);
  r.seed = in.seed;
  r.kernel = kernel_version();
  r.sysctl = read_tcp_sysctls(in.spec.sysctl);
  r.isolation = in.isolation.describe();
  r.sample_ms = in.spec.sample_ms;
  r.observations = in.observations;
  r.late_events = in.late_events;

  // Progress of single reads and writes is summed per peer, not listed.
  std::vector<std::pair<std::int64_t, std::int64_t>> bytes(in.peers.all().size());
  for (const RecordedEvent& e : in.events.all()) {
    if (e.kind == kBytesSent || e.kind == kBytesReceived) {
      auto& [sent, received] = bytes[static_cast<std::size_t>(e.peer)];
      (e.kind == kBytesSent ? sent : received) += e.bytes;
      continue;
    }
    r.events.push_back(event_record(e, in.spec.peers[static_cast<std::size_t>(e.peer)].name));
  }
  r.event_counts = reports::count_events(r.events);
  r.events_omitted = reports::bound_events(r.events);
  for (auto& p : in.peers.all()) {
    auto [sent, received] = bytes[static_cast<std::size_t>(p.index)];
    r.peers.push_back(peer_record(p, sent, received));
  }
  for (const CommandFailure& f : in.command_failures) {
    reports::CommandFailure c{f.peer, f.expected, f.actual,
                              "command \"" + f.peer + "\" exited with status " +
                                  std::to_string(f.actual) + ", expected exit_code " +
                                  std::to_string(f.expected),
                              std::nullopt};
    if (f.after_t0) c.t_ms = static_cast<double>(f.t_us / 1000);
    r.command_failures.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < in.spec.expect.size(); ++i)
    r.expectations.push_back(expectation_record(in.spec, i, in.results[i]));
  r.timeline = in.timeline;
  r.nftables = in.nftables;
  r.samples = in.samples;
  r.warnings = in.warnings;
  if (!in.isolation.id_note.empty()) r.warnings.insert(r.warnings.begin(), in.isolation.id_note);
  return r;
}

}  // namespace sockdrill
