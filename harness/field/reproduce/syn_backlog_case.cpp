// syn_backlog as a case: handshakes whose final ACK never arrives wait in SYN_RECV.
#include <algorithm>

#include "harness/field/reproduce/case_parts.hpp"

namespace sockdrill::field {

using namespace reproduce_parts;

Reproduction reproduce_syn_backlog(const ExplainInput& in, const Finding& f) {
  Reproduction r;
  const std::uint64_t n = case_size(f.count, r.assumptions);
  const std::uint64_t backlog = std::max<std::uint64_t>(n + 16, 128);
  r.assumptions.push_back("the clients' final ACKs never reach the program (lost, or clients that never send them); "
                          "here a fault drops them");
  r.assumptions.push_back("the program's backlog (" + std::to_string(backlog) +
                          ") and tcp_max_syn_backlog hold every handshake, so no SYN cookie is needed (tcp_syncookies " +
                          sysctl_or(in.now, "net.ipv4.tcp_syncookies", "?") + " in the snapshot)");
  const std::int64_t t = settled_ms(n);
  Json peers;
  peers["program"] = python_command(kServerThatHolds, {std::to_string(backlog)});
  peers["clients"] = {{"connect", {{"to", "program"}, {"count", n}, {"timeout_ms", 60000}}},
                      {"steps", Json::array({{{"hold", Json::object()}}})}};
  Json timeline = Json::array(
      {{{"at_ms", 0}, {"fault", {{"drop", {{"from", "clients"}, {"to", "program"}, {"flags", Json::array({"ack"})}}}}}}});
  Json expect = Json::array({sockets_by("program", "SYN_RECV", n, t),
                             sockets_during("program", "SYN_RECV", n, t, t + 1000),
                             sockets_by("clients", "ESTABLISHED", n, t)});
  const std::string builds = "The case: " + std::to_string(n) +
                             " clients connect to the program; every packet with ACK from them is dropped, so each "
                             "handshake stays half done on the program's side (SYN_RECV, the kernel resending its "
                             "SYN-ACK) while the clients, which got the SYN-ACK, are ESTABLISHED.";
  Json c = case_file(f, builds, ProgramSide::server, r.assumptions,
                     {{"net.core.somaxconn", backlog}, {"net.ipv4.tcp_max_syn_backlog", backlog}}, t + 3000, peers,
                     expect);
  r.case_json = with_timeline(c, timeline);
  return r;
}

}  // namespace sockdrill::field
