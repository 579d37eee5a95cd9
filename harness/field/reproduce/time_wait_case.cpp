// time_wait_pile as a case: the program opens many short connections and closes each first.
#include "harness/field/reproduce/case_parts.hpp"

namespace sockdrill::field {

using namespace reproduce_parts;

Reproduction reproduce_time_wait_pile(const ExplainInput& in, const Finding& f) {
  Reproduction r;
  const std::uint64_t n = case_size(f.count, r.assumptions);
  r.assumptions.push_back("the program is the client and closes first; its server reads to the end and closes");
  // A few TIME_WAIT can end early: a late ACK from the server meets a TIME_WAIT whose peer is
  // gone, the reply is a reset, and the reset ends it (tcp_rfc1337 0); and tcp_tw_reuse may
  // reuse a port. Seen: up to 8 of 1,000.
  const std::uint64_t at_least = n - n / 20;
  r.assumptions.push_back("at least 95% of them stay in TIME_WAIT: a reset can end a few early (tcp_rfc1337 0)");
  const std::int64_t t = settled_ms(n) + static_cast<std::int64_t>(n);  // one connection after another
  Json peers;
  peers["server"] = {{"listen", {{"backlog", 4096}}}, {"steps", Json::array({{{"recv", {{"until", "eof"}}}}})}};
  peers["program"] = python_command(kClientOfShortConnections, {"{server.address}", "{server.port}", std::to_string(n)});
  Json expect = Json::array({sockets_by("program", "TIME_WAIT", {{"min", at_least}, {"max", n}}, t),
                             sockets_during("server", "TIME_WAIT", 0, 0, t)});
  const std::string builds = "The case: the program makes " + std::to_string(n) +
                             " short connections one after the other and closes each first (the active closer), so "
                             "TIME_WAIT piles up on its side (60 s each), none on the server's. Ports: " +
                             sysctl_or(in.now, "net.ipv4.ip_local_port_range", "?") + " in the snapshot.";
  r.case_json = case_file(f, builds, ProgramSide::client, r.assumptions, nullptr, t + 3000, peers, expect);
  return r;
}

}  // namespace sockdrill::field
