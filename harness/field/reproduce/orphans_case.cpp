// orphans as a case: the program closes while its peers' acknowledgements are lost, so its closed
// sockets wait, orphaned, in FIN_WAIT1 or LAST_ACK.
#include "harness/field/reproduce/case_parts.hpp"

namespace sockdrill::field {

using namespace reproduce_parts;

Reproduction reproduce_orphans(const ExplainInput& in, const Finding& f) {
  Reproduction r;
  const std::uint64_t n = case_size(f.count, r.assumptions);
  const StateCounts& seen = in.now.orphans.states;
  // Which close the snapshot shows most of: the program's own first (FIN_WAIT1, and CLOSING
  // when both closed at once), or the program's answer to its peers' close (LAST_ACK).
  const bool last_ack = count_of(seen, TcpState::LAST_ACK) >
                        count_of(seen, TcpState::FIN_WAIT1) + count_of(seen, TcpState::CLOSING);
  const std::int64_t t = settled_ms(n);
  r.assumptions.push_back("orphans belong to no process: the program is taken to be the server that closed them");
  r.assumptions.push_back("the peers' acknowledgements are lost (peers gone or unreachable); here a fault drops "
                          "every packet with ACK from the clients to the program once their connections are made");
  r.assumptions.push_back("tcp_orphan_retries " + sysctl_or(in.now, "net.ipv4.tcp_orphan_retries", "?") +
                          " in the snapshot: the orphans retransmit their FIN for minutes before the kernel drops "
                          "them, longer than the case looks");
  Json peers, timeline, expect;
  std::string builds;
  if (last_ack) {
    // The clients close at t; their FINs are acknowledged at once; from t + 300 their ACKs are
    // dropped; the program closes 600 ms after reading EOF on all of them.
    peers["program"] = python_command(kServerThatClosesAll, {"4096", std::to_string(n), "600", "after_eof"});
    peers["clients"] = {{"connect", {{"to", "program"}, {"count", n}}},
                        {"steps", Json::array({{{"wait", "clients_close"}}, {{"close", Json::object()}}})}};
    timeline = Json::array({{{"at_ms", t}, {"cue", "clients_close"}},
                            {{"at_ms", t + 300},
                             {"fault", {{"drop", {{"from", "clients"}, {"to", "program"}, {"flags", {"ack"}}}}}}}});
    expect = Json::array({sockets_by("clients", "FIN_WAIT2", n, t + 250 + static_cast<std::int64_t>(n / 10)),
                          sockets_by("program", "CLOSE_WAIT", n, t + 250 + static_cast<std::int64_t>(n / 10)),
                          sockets_by("clients", "TIME_WAIT", n, t + 1000 + static_cast<std::int64_t>(n / 4)),
                          sockets_during("program", "LAST_ACK", n, t + 1000 + static_cast<std::int64_t>(n / 4),
                                         t + 1800 + static_cast<std::int64_t>(n / 4))});
    builds = "The case: " + std::to_string(n) + " clients close their connections; the program reads each to its "
             "end and closes in turn, but the clients' final ACKs are dropped: the clients go to TIME_WAIT believing "
             "all is done, the program's closed sockets wait in LAST_ACK, retransmitting their FIN.";
  } else {
    // The program closes every connection at `close_at` after it has them all (by t at the
    // latest); from t the clients' ACKs are dropped.
    const std::int64_t close_after = t + 500;
    peers["program"] = python_command(kServerThatClosesAll,
                                      {"4096", std::to_string(n), std::to_string(close_after), "now"});
    peers["clients"] = {{"connect", {{"to", "program"}, {"count", n}}}, {"steps", Json::array({{{"hold", Json::object()}}})}};
    timeline = Json::array(
        {{{"at_ms", t}, {"fault", {{"drop", {{"from", "clients"}, {"to", "program"}, {"flags", {"ack"}}}}}}}});
    const std::int64_t closed = t + close_after + 500;
    expect = Json::array({sockets_by("clients", "ESTABLISHED", n, t), sockets_by("clients", "CLOSE_WAIT", n, closed),
                          sockets_during("program", "FIN_WAIT1", n, closed, closed + 800)});
    builds = "The case: the program closes its " + std::to_string(n) + " connections while the clients' "
             "acknowledgements are dropped: the clients got the FIN (CLOSE_WAIT), the program's closed sockets wait "
             "in FIN_WAIT1, retransmitting it.";
  }
  Json c = case_file(f, builds, ProgramSide::server, r.assumptions, nullptr,
                     expect.back()["until_ms"].get<std::int64_t>() + 3000, peers, expect);
  r.case_json = with_timeline(c, timeline);
  return r;
}

}  // namespace sockdrill::field
