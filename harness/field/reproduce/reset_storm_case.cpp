// reset_storm as a case: connections closed with data unread, each one a reset.
#include "harness/field/reproduce/case_parts.hpp"

namespace sockdrill::field {

using namespace reproduce_parts;

Reproduction reproduce_reset_storm(const ExplainInput& in, const Finding& f) {
  Reproduction r;
  (void)in;
  const std::uint64_t n = case_size(f.count, r.assumptions);
  r.assumptions.push_back("the resets come from closes with data unread (TCPAbortOnClose), the commonest cause; a "
                          "storm of another counter (SO_LINGER 0: TCPAbortOnData; timeouts) needs another program");
  const std::int64_t t = settled_ms(n) + 200;
  Json peers;
  peers["program"] = python_command(kServerThatClosesUnread, {"4096"});
  peers["clients"] = {{"connect", {{"to", "program"}, {"count", n}}},
                      {"steps", Json::array({{{"send", "request\n"}}, {{"hold", Json::object()}}})}};
  Json expect = Json::array({{{"counter", "TcpExtTCPAbortOnClose"}, {"count", n}, {"by_ms", t}},
                             {{"counter", "TcpOutRsts"}, {"count", {{"min", n}}}, {"by_ms", t}}});
  const std::string builds = "The case: " + std::to_string(n) +
                             " clients each send a request; the program closes each connection 100 ms later "
                             "without reading it, so the kernel resets every one (TcpExtTCPAbortOnClose rises by " +
                             std::to_string(n) + ").";
  r.case_json = case_file(f, builds, ProgramSide::server, r.assumptions, nullptr, t + 3000, peers, expect);
  return r;
}

}  // namespace sockdrill::field
