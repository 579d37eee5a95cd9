// stopped_reading as a case: data the program does not read waits in its receive queues.
#include "harness/field/reproduce/case_parts.hpp"

namespace sockdrill::field {

using namespace reproduce_parts;

Reproduction reproduce_stopped_reading(const ExplainInput& in, const Finding& f) {
  Reproduction r;
  const std::uint64_t n = case_size(f.count, r.assumptions);
  // The group the unread data is in: CLOSE_WAIT (the peers also closed) or ESTABLISHED.
  const SocketGroup* g = first_group(in.now, f.pid, TcpState::CLOSE_WAIT);
  if (!g || g->with_unread == 0) g = first_group(in.now, f.pid, TcpState::ESTABLISHED);
  const bool peers_closed = g && g->state == TcpState::CLOSE_WAIT;
  const bool client = client_side(g, r.assumptions);
  std::uint64_t bytes = g && g->with_unread > 0 ? g->recv_q / g->with_unread : 1000;
  if (bytes == 0) bytes = 1;
  // More than a socket buffer would block the sender; the mechanism shows with less.
  if (bytes > 65536) {
    r.assumptions.push_back("each connection sends 65,536 bytes, not the " + std::to_string(bytes) +
                            " unread in the snapshot (more would wait on the window)");
    bytes = 65536;
  }
  const std::string other = client ? "server" : "clients";
  const std::string other_does = client ? "server sends " : "clients send ";
  r.assumptions.push_back(std::string("the program is a ") + (client ? "client" : "server") + "; its " + other_does +
                          std::to_string(bytes) + " bytes on each connection" +
                          (peers_closed ? ", reads what the program sends for 300 ms, and closes" : " and waits"));
  const std::int64_t t = settled_ms(n) + 300;
  Json steps = Json::array({{{"send", {{"bytes", bytes}}}}});
  steps.push_back(peers_closed ? read_a_while_then_close() : Json{{"hold", Json::object()}});
  Json peers;
  if (client) {
    peers["server"] = {{"listen", {{"backlog", 4096}}}, {"steps", steps}};
    peers["program"] = python_command(kClientThatHolds, {"{server.address}", "{server.port}", std::to_string(n)});
  } else {
    peers["program"] = python_command(kServerThatHolds, {"4096"});
    peers["clients"] = {{"connect", {{"to", "program"}, {"count", n}}}, {"steps", steps}};
  }
  const std::string state = peers_closed ? "CLOSE_WAIT" : "ESTABLISHED";
  Json unread = {{"sockets", {{"peer", "program"}, {"state", state}, {"recv_q", bytes}}},
                 {"count", n},
                 {"from_ms", t},
                 {"until_ms", t + 2000}};
  Json expect = Json::array({sockets_by("program", state, n, t), unread,
                             {{"counter", "TcpExtTCPAbortOnClose"}, {"count", 0}, {"from_ms", 0}, {"until_ms", t + 2000}}});
  const std::string builds = "The case: on each of " + std::to_string(n) + " connections the " + other_does +
                             std::to_string(bytes) + " bytes" + (peers_closed ? " and then closes it" : "") +
                             "; the program never reads them, so every socket keeps them unread (recv_q) for 2 s; "
                             "no reset yet, since nothing was closed with data unread (TcpExtTCPAbortOnClose 0).";
  r.case_json = case_file(f, builds, client ? ProgramSide::client : ProgramSide::server, r.assumptions, nullptr,
                          t + 4000, peers, expect);
  return r;
}

}  // namespace sockdrill::field
