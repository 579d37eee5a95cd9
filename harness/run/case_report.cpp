// The runner's report of one case: everything that happened, as one JSON document.
#include "harness/run/case_report.hpp"

#include <algorithm>

namespace sockdrill {

std::string valid_utf8(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  const auto* b = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n;) {
    unsigned char c = b[i];
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= n && !(len == 2 && c < 0xc2);
    for (std::size_t k = 1; ok && k < len; ++k) ok = (b[i + k] & 0xc0) == 0x80;
    if (ok && len == 3) {
      const unsigned cp = ((c & 0x0fu) << 12) | ((b[i + 1] & 0x3fu) << 6);
      ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff);
    }
    if (ok && len == 4) ok = c < 0xf4 ? (c > 0xf0 || b[i + 1] >= 0x90) : (c == 0xf4 && b[i + 1] < 0x90);
    if (ok) {
      out.append(in, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

namespace {

Json peer_json(PeerSlot& p, std::int64_t sent, std::int64_t received) {
  Json j = {{"name", p.spec->name}, {"started", p.started}};
  if (p.proc) j["pid"] = p.proc->pid();
  if (p.listening) j["listening"] = endpoint_text(*p.listening);
  if (p.exited) j["exit_code"] = p.exit_code;
  if (p.is_command()) {
    j["command"] = p.spec->command->argv;
    if (p.spec->command->exit_code) j["expected_exit_code"] = *p.spec->command->exit_code;
    if (p.proc) {
      p.proc->drain_output();  // whatever it wrote up to now
      j["stdout"] = valid_utf8(p.proc->stdout_tail());
      j["stderr"] = valid_utf8(p.proc->stderr_tail());
      if (p.proc->stdout_truncated()) j["stdout_truncated"] = true;
      if (p.proc->stderr_truncated()) j["stderr_truncated"] = true;
    }
  }
  j["bytes"] = {{"sent", sent}, {"received", received}};
  return j;
}

Json expectation_json(const CaseSpec& spec, std::size_t i, const ExpectationResult& r) {
  const Expectation& x = spec.expect[i];
  Json j;
  j["index"] = i;
  j["expect"] = Json::parse(x.text, nullptr, false);
  j["where"] = spec.file.string() + ":" + std::to_string(x.where.line) + ":" + std::to_string(x.where.column);
  j["pointer"] = x.where.pointer;
  j["result"] = r.status == ExpectationResult::pass   ? "pass"
                : r.status == ExpectationResult::fail ? "fail"
                                                      : "undecided";
  if (r.decided_at_us >= 0) j["decided_at_ms"] = static_cast<double>(r.decided_at_us) / 1000.0;
  j["message"] = r.message;
  j["observed"] = r.observed;
  return j;
}

Json event_json(const RecordedEvent& e, const std::string& peer) {
  Json j = {{"t_ms", static_cast<double>(e.t_us) / 1000.0}, {"peer", peer}, {"kind", e.kind}};
  if (e.conn >= 0) j["conn"] = e.conn;
  if (e.step >= 0) j["step"] = e.step;
  if (!e.errno_name.empty()) j["errno"] = e.errno_name;
  if (e.code) j["code"] = *e.code;
  if (e.bytes) j["bytes"] = e.bytes;
  if (!e.local.empty()) j["local"] = e.local;
  if (!e.remote.empty()) j["remote"] = e.remote;
  if (!e.detail.empty()) j["detail"] = e.detail;
  return j;
}

}  // namespace

Json case_report(const CaseReportInput& in) {
  Json out;
  out["name"] = in.display_name;
  out["file"] = in.spec.file.string();
  out["verdict"] = in.outcome.verdict;
  if (!in.outcome.code.empty()) out["reason_code"] = in.outcome.code;
  if (!in.outcome.reason.empty()) out["reason"] = in.outcome.reason;
  out["duration_ms"] = (in.end_ns - in.clock.run_start_ns()) / kNsPerMs;
  out["seed"] = in.seed;
  out["kernel"] = kernel_version();
  out["sysctl"] = read_tcp_sysctls(in.spec.sysctl);
  out["isolation"] = in.isolation.describe();
  out["sample_ms"] = in.spec.sample_ms;
  out["observations"] = in.observations;
  out["late_events"] = in.late_events;

  // Progress of single reads and writes is summed per peer, not listed.
  std::vector<std::pair<std::int64_t, std::int64_t>> bytes(in.peers.all().size());
  Json events = Json::array();
  for (const RecordedEvent& e : in.events.all()) {
    if (e.kind == kBytesSent || e.kind == kBytesReceived) {
      auto& [sent, received] = bytes[static_cast<std::size_t>(e.peer)];
      (e.kind == kBytesSent ? sent : received) += e.bytes;
      continue;
    }
    events.push_back(event_json(e, in.spec.peers[static_cast<std::size_t>(e.peer)].name));
  }
  Json peers = Json::array();
  for (auto& p : in.peers.all()) {
    auto [sent, received] = bytes[static_cast<std::size_t>(p.index)];
    peers.push_back(peer_json(p, sent, received));
  }
  out["peers"] = peers;
  Json failures = Json::array();
  for (const CommandFailure& f : in.command_failures) {
    Json j = {{"peer", f.peer}, {"expected", f.expected}, {"actual", f.actual},
              {"message", "command \"" + f.peer + "\" exited with status " + std::to_string(f.actual) +
                              ", expected exit_code " + std::to_string(f.expected)}};
    if (f.after_t0) j["t_ms"] = f.t_us / 1000;
    failures.push_back(j);
  }
  if (!failures.empty()) out["command_failures"] = failures;
  Json expectations = Json::array();
  for (std::size_t i = 0; i < in.spec.expect.size(); ++i)
    expectations.push_back(expectation_json(in.spec, i, in.results[i]));
  out["expectations"] = expectations;
  out["events"] = events;
  out["timeline"] = in.timeline_notes;
  if (!in.nftables.empty()) out["nftables"] = in.nftables;
  out["samples"] = in.samples;
  if (!in.warnings.empty()) out["warnings"] = in.warnings;
  return out;
}

}  // namespace sockdrill
