// forgotten_close as a case: the program holds connections its peers closed.
#include "harness/field/reproduce/case_parts.hpp"

namespace sockdrill::field {

using namespace reproduce_parts;

Reproduction reproduce_forgotten_close(const ExplainInput& in, const Finding& f) {
  Reproduction r;
  const std::uint64_t n = case_size(f.count, r.assumptions);
  const SocketGroup* g = first_group(in.now, f.pid, TcpState::CLOSE_WAIT);
  const bool client = client_side(g, r.assumptions);
  const std::int64_t t = settled_ms(n) + 300;  // the peers close after reading for 300 ms
  Json peers, expect = Json::array();
  std::string builds;
  if (client) {
    // The program connected out; the servers it talks to closed.
    peers["server"] = {{"listen", {{"backlog", 4096}}}, {"steps", Json::array({read_a_while_then_close()})}};
    peers["program"] = python_command(kClientThatHolds, {"{server.address}", "{server.port}", std::to_string(n)});
    expect.push_back(sockets_by("server", "FIN_WAIT2", n, t));
    r.assumptions.push_back("its peers are servers that close first (" + (g ? g->remote : std::string("?")) +
                            " in the snapshot), here one sockdrill server that reads what comes for 300 ms, then "
                            "closes");
    builds = "The case: a server closes each of the " + std::to_string(n) +
             " connections the program opens; the program never calls close(), so all stay in CLOSE_WAIT for as "
             "long as it lives (checked for 2 s).";
  } else {
    peers["program"] = python_command(kServerThatHolds, {"4096"});
    peers["clients"] = {{"connect", {{"to", "program"}, {"count", n}}},
                        {"steps", Json::array({{{"close", Json::object()}}})}};
    expect.push_back(sockets_by("clients", "FIN_WAIT2", n, t));
    r.assumptions.push_back("its peers are clients that close (" + (g ? g->remote : std::string("?")) +
                            " in the snapshot), here one sockdrill client peer");
    builds = "The case: " + std::to_string(n) +
             " clients connect to the program and close; the program never calls close(), so all stay in "
             "CLOSE_WAIT for as long as it lives (checked for 2 s).";
  }
  expect.push_back(sockets_by("program", "CLOSE_WAIT", n, t));
  expect.push_back(sockets_during("program", "CLOSE_WAIT", n, t + 100, t + 2100));
  r.case_json = case_file(f, builds, client ? ProgramSide::client : ProgramSide::server, r.assumptions, nullptr,
                          t + 4000, peers, expect);
  return r;
}

}  // namespace sockdrill::field
