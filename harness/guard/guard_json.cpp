// guard's --report FILE: the run and each leak, as JSON.
#include "harness/guard/guard_report.hpp"

namespace sockdrill::guard {
namespace {

Json leak_json(const SocketLeak& leak) {
  Json j = {{"kind", leak_kind_name(leak.kind)},
            {"pid", leak.pid},
            {"cmdline", leak.cmdline},
            {"fd", leak.fd},
            {"state", tcp_state_name(leak.state)},
            {"local", leak.local},
            {"remote", leak.remote},
            {"recv_q", leak.recv_q},
            {"send_q", leak.send_q},
            {"since_ms", leak.since_ms},
            {"held_ms", leak.held_ms}};
  j["message"] = describe_leak(leak);
  return j;
}

}  // namespace

Json guard_json(const GuardResult& r) {
  Json j;
  j["command"] = r.command;
  j["exit_code"] = r.exit_code;
  j["signal"] = r.signal ? Json(*r.signal) : Json(nullptr);
  j["leaks"] = Json::array();
  for (const SocketLeak& leak : r.leaks) j["leaks"].push_back(leak_json(leak));
  j["error"] = r.error ? Json(*r.error) : Json(nullptr);
  j["command_exit_ms"] = r.command_exit_ms;
  j["duration_ms"] = r.duration_ms;
  j["settle_ms"] = r.settle_ms;
  j["interval_ms"] = r.interval_ms;
  j["samples"] = r.samples;
  j["largest_gap_ms"] = r.largest_gap_ms;
  Json processes = Json::array();
  for (const WatchedProcess& p : r.processes)
    processes.push_back({{"pid", p.pid}, {"cmdline", p.cmdline}, {"held_tcp", p.held_tcp}});
  j["processes"] = std::move(processes);
  j["ended"] = r.ended;
  j["kept"] = r.kept;
  j["isolation"] = r.isolation;
  j["kernel"] = r.kernel;
  return j;
}

}  // namespace sockdrill::guard
