// fin_wait2_pile as a case: the program closes first; its peers never do.
#include "harness/field/reproduce/case_parts.hpp"

namespace sockdrill::field {

using namespace reproduce_parts;

Reproduction reproduce_fin_wait2_pile(const ExplainInput& in, const Finding& f) {
  Reproduction r;
  const std::uint64_t n = case_size(f.count, r.assumptions);
  constexpr int kFinTimeout = 3;
  r.assumptions.push_back("tcp_fin_timeout " + sysctl_or(in.now, "net.ipv4.tcp_fin_timeout", "60") +
                          " s in the snapshot is " + std::to_string(kFinTimeout) +
                          " s here, to show its bound in a short case");
  const SocketGroup* g = f.pid != 0 ? first_group(in.now, f.pid, TcpState::FIN_WAIT2) : nullptr;
  if (!g) g = first_orphan_group(in.now, TcpState::FIN_WAIT2);
  const bool client = client_side(g, r.assumptions);
  const std::string other = client ? "server" : "clients";
  r.assumptions.push_back(std::string("the program is a ") + (client ? "client closing connections its server" :
                                                                       "server closing connections its clients") +
                          " keep open");
  const std::int64_t t = settled_ms(n);
  Json peers;
  if (client) {
    peers["server"] = {{"listen", {{"backlog", 4096}}}, {"steps", Json::array({{{"hold", Json::object()}}})}};
    peers["program"] = python_command(kClientThatCloses, {"{server.address}", "{server.port}", std::to_string(n)});
  } else {
    peers["program"] = python_command(kServerThatCloses, {"4096"});
    peers["clients"] = {{"connect", {{"to", "program"}, {"count", n}}}, {"steps", Json::array({{{"hold", Json::object()}}})}};
  }
  const std::int64_t gone = t + kFinTimeout * 1000 + 1500;
  Json expect = Json::array({sockets_by("program", "FIN_WAIT2", n, t), sockets_by(other, "CLOSE_WAIT", n, t),
                             sockets_during("program", "FIN_WAIT2", 0, gone, gone + 500),
                             sockets_during(other, "CLOSE_WAIT", n, gone, gone + 500)});
  const std::string builds = "The case: the program closes each of " + std::to_string(n) +
                             " connections at once and its peer never does: the program's side waits in FIN_WAIT2 "
                             "until tcp_fin_timeout ends it, the peer's (" + other + ") stays in CLOSE_WAIT.";
  r.case_json = case_file(f, builds, client ? ProgramSide::client : ProgramSide::server, r.assumptions,
                          {{"net.ipv4.tcp_fin_timeout", kFinTimeout}}, gone + 2500, peers, expect);
  return r;
}

}  // namespace sockdrill::field
