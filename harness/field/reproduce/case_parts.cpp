// Pieces shared by the reproduced cases.
#include "harness/field/reproduce/case_parts.hpp"

#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field::reproduce_parts {

const char* const kServerThatHolds =
    "import socket, sys, time\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', 0))\n"
    "s.listen(int(sys.argv[1]))\n"
    "held = []\n"
    "while True:\n"
    "    conn, _ = s.accept()\n"
    "    held.append(conn)  # never read, never closed: the mechanism\n";
const char* const kServerThatNeverAccepts =
    "import socket, sys, time\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', 0))\n"
    "s.listen(int(sys.argv[1]))\n"
    "time.sleep(3600)  # never accept(): the mechanism\n";
const char* const kServerThatCloses =
    "import socket, sys\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', 0))\n"
    "s.listen(int(sys.argv[1]))\n"
    "while True:\n"
    "    conn, _ = s.accept()\n"
    "    conn.close()  # closes first; the peer never does\n";
const char* const kClientThatHolds =
    "import socket, sys, time\n"
    "host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])\n"
    "held = [socket.create_connection((host, port)) for _ in range(n)]\n"
    "time.sleep(3600)  # never closed: the mechanism\n";
const char* const kClientThatCloses =
    "import socket, sys, time\n"
    "host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])\n"
    "for _ in range(n):\n"
    "    socket.create_connection((host, port)).close()  # closes first; the server never does\n"
    "time.sleep(3600)\n";
const char* const kServerThatClosesUnread =
    "import socket, sys, threading\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', 0))\n"
    "s.listen(int(sys.argv[1]))\n"
    "while True:\n"
    "    conn, _ = s.accept()\n"
    "    threading.Timer(0.1, conn.close).start()  # closes with the request unread: a reset\n";
const char* const kServerThatClosesAll =
    "import socket, sys, time\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', 0))\n"
    "s.listen(int(sys.argv[1]))\n"
    "n, delay, after_eof = int(sys.argv[2]), int(sys.argv[3]) / 1000, sys.argv[4] == 'after_eof'\n"
    "held = [s.accept()[0] for _ in range(n)]\n"
    "for c in held if after_eof else []:\n"
    "    while c.recv(4096):  # until the peer's FIN\n"
    "        pass\n"
    "time.sleep(delay)\n"
    "for c in held:\n"
    "    c.close()  # unacknowledged, each FIN waits, orphaned, in FIN_WAIT1 (or LAST_ACK after EOF)\n"
    "time.sleep(3600)\n";
const char* const kClientOfShortConnections =
    "import socket, sys, time\n"
    "host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])\n"
    "for _ in range(n):\n"
    "    c = socket.create_connection((host, port))\n"
    "    c.sendall(b'x')\n"
    "    c.close()  # closes first: TIME_WAIT stays on this side\n"
    "time.sleep(3600)\n";

std::uint64_t case_size(std::uint64_t seen, std::vector<std::string>& assumptions) {
  if (seen <= kMaxConnections) return seen;
  assumptions.push_back("the snapshot had " + thousands(seen) + " sockets; the case makes " + thousands(kMaxConnections) +
                        ", what one client peer keeps under the descriptor limit");
  return kMaxConnections;
}

Json with_timeline(const Json& case_json, const Json& timeline) {
  Json ordered;
  for (auto& [key, value] : case_json.items()) {
    if (key == "expect") ordered["timeline"] = timeline;
    ordered[key] = value;
  }
  return ordered;
}

std::int64_t settled_ms(std::uint64_t n) { return 1500 + static_cast<std::int64_t>(n / 2); }

Json python_command(const std::string& script, const std::vector<std::string>& args) {
  Json argv = Json::array({"/usr/bin/python3", "-c", script});
  for (const std::string& a : args) argv.push_back(a);
  return {{"command", {{"argv", argv}}}};
}

std::string program_text(const Finding& f) { return f.process.empty() ? "no single process" : f.process; }

std::string about_text(const Finding& f, const std::string& builds, ProgramSide side,
                       const std::vector<std::string>& assumptions) {
  std::string about = "Reproduced from a snapshot: " + f.kind + ", " + thousands(f.count) + " sockets (" +
                      program_text(f) + "). " + (f.evidence.empty() ? "" : f.evidence.front() + ". ") + builds +
                      " Peer 'program' is a stand-in written in Python: put your program's argv in its place" +
                      (side == ProgramSide::server
                           ? " (it may listen on any port of 127.0.0.1: sockdrill finds where it listens)"
                           : " (give it {server.address} and {server.port} where it needs its server)") +
                      "; the expectations hold when it has the same mechanism.";
  for (const std::string& a : assumptions) about += " Assumed: " + a + ".";
  return about;
}

Json case_file(const Finding& f, const std::string& builds, ProgramSide side,
               const std::vector<std::string>& assumptions, Json sysctl, std::int64_t timeout_ms, Json peers,
               Json expect) {
  Json out = {{"about", about_text(f, builds, side, assumptions)}};
  if (!sysctl.is_null()) out["sysctl"] = std::move(sysctl);
  out["timeout_ms"] = timeout_ms;
  out["peers"] = std::move(peers);
  out["expect"] = std::move(expect);
  return out;
}

bool client_side(const SocketGroup* g, std::vector<std::string>& assumptions) {
  if (g && g->local.starts_with("["))
    assumptions.push_back("the snapshot's connections were IPv6 (" + g->local + "); the case uses 127.0.0.1");
  return g && g->local.ends_with(":*");
}

Json read_a_while_then_close() { return {{"recv", {{"until", "eof"}, {"timeout_ms", 300}}}}; }

const SocketGroup* first_group(const Snapshot& s, pid_t pid, TcpState state) {
  for (const ProcessSockets& p : s.processes)
    if (p.pid == pid)
      for (const SocketGroup& g : p.groups)
        if (g.state == state) return &g;
  return nullptr;
}

const SocketGroup* first_orphan_group(const Snapshot& s, TcpState state) {
  for (const SocketGroup& g : s.orphans.groups)
    if (g.state == state) return &g;
  return nullptr;
}

Json sockets_by(const std::string& peer, const std::string& state, Json count, std::int64_t by_ms) {
  return {{"sockets", {{"peer", peer}, {"state", state}}}, {"count", std::move(count)}, {"by_ms", by_ms}};
}

Json sockets_during(const std::string& peer, const std::string& state, Json count, std::int64_t from_ms,
                    std::int64_t until_ms) {
  return {{"sockets", {{"peer", peer}, {"state", state}}},
          {"count", std::move(count)},
          {"from_ms", from_ms},
          {"until_ms", until_ms}};
}

}  // namespace sockdrill::field::reproduce_parts
