// The case loop: start peers, give t = 0, follow the timeline, sample sockets, decide.
#include "harness/run/runner.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>
#include <unordered_map>

extern char** environ;

#include "common/clock.hpp"
#include "harness/faults/nft_session.hpp"
#include "harness/faults/packet_rules.hpp"
#include "harness/observe/attribution.hpp"
#include "harness/observe/sock_diag.hpp"
#include "harness/run/peer_process.hpp"
#include "harness/run/process_tree.hpp"
#include "harness/verdict/expectations.hpp"

namespace sockdrill {
namespace {

constexpr std::int64_t kMs = 1'000'000;  // nanoseconds per millisecond

struct Peer {
  const PeerSpec* spec = nullptr;
  int index = 0;
  std::unique_ptr<PeerProcess> proc;
  bool started = false;
  bool ready = false;
  bool exited = false;
  bool killed_by_timeline = false;
  int exit_code = -1;
  std::int64_t started_ns = 0;
  std::string bound_address;  // a listening peer's own endpoint, once announced
  int bound_port = -1;
  std::string source_v4, source_v6;  // a client's own source addresses (packet rules use them)
  // A command peer: the processes seen in its tree so far (pid -> start time), so that a child
  // stays its own after the command itself ended (then its parent is the runner).
  std::unordered_map<pid_t, std::uint64_t> tree_members;
  // A command that other peers connect to (or name in a placeholder): t = 0 waits until its
  // processes listen, and its first listening socket is its address and port.
  bool must_listen = false;
  std::vector<Json> toxic_changes;  // a proxy's toxic lines from before it started
  bool is_command() const { return spec->kind == PeerKind::command; }
  bool listens_first() const {
    return spec->kind == PeerKind::server || spec->kind == PeerKind::proxy || must_listen;
  }
};

std::string loopback_for(const std::string& address) {
  if (address == "0.0.0.0") return "127.0.0.1";
  if (address == "::") return "::1";
  return address;
}

std::string endpoint_text(const std::string& address, int port) {
  if (address.find(':') != std::string::npos) return "[" + address + "]:" + std::to_string(port);
  return address + ":" + std::to_string(port);
}

// A program's output as valid UTF-8 (the report is JSON): bytes that do not form a UTF-8
// sequence (binary output, or a character cut by the output cap) become U+FFFD.
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

class CaseRun {
 public:
  CaseRun(const CaseSpec& spec, const RunOptions& options, const IsolationInfo& isolation)
      : spec_(spec), options_(options), isolation_(isolation), engine_(spec) {
    for (std::size_t i = 0; i < spec.peers.size(); ++i) {
      peers_.push_back(Peer{});
      peers_.back().spec = &spec.peers[i];
      peers_.back().index = static_cast<int>(i);
    }
    // One command owns every socket no claim matches; with several only inodes tell them apart.
    std::vector<int> commands;
    for (auto& p : peers_)
      if (p.is_command()) commands.push_back(p.index);
    has_commands_ = !commands.empty();
    if (commands.size() == 1) attribution_.set_fallback_owner(commands[0]);
    std::set<std::string> named;
    for (auto& p : spec.peers) named.insert(p.needs.begin(), p.needs.end());
    for (auto& p : peers_) p.must_listen = p.is_command() && named.count(p.spec->name) > 0;
    seed_ = spec.seed ? *spec.seed : std::random_device{}();
  }

  Json run();

 private:
  // Startup, t = 0 and the loop.
  bool start_peer(Peer& p);
  bool wait_until(const std::function<bool()>& done, std::int64_t deadline_ns);
  void pump(int timeout_ms);
  void drain_all();
  void handle_line(Peer& p, const std::string& line);
  void reap_children();
  void run_timeline_entry(const TimelineEntry& e);
  void take_sample();
  void scan_command_trees();
  void count_command_bytes(std::int64_t t_us);
  void kill_command_trees();
  bool start_command(Peer& p);
  bool find_command_listener(Peer& p);
  Json resolve_spec(const Peer& p, std::string& problem) const;
  std::string resolve_placeholders(const std::string& text, std::string& problem) const;
  void assign_source_addresses();
  bool set_up_packet_rules();
  void run_fault(const TimelineEntry& e);
  void apply_fault(const TimelineEntry& e, std::uint64_t seed);
  bool names_a_peer_not_there_yet(const Json& match) const;
  void apply_deferred_rules();
  std::map<std::string, PeerIdentity> identities() const;
  void fail_run(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }
  std::int64_t rel_us(std::int64_t t_ns) const { return (t_ns - t0_ns_) / 1000; }
  Json report(const std::string& verdict, std::int64_t end_ns);

  const CaseSpec& spec_;
  const RunOptions& options_;
  const IsolationInfo& isolation_;
  boost::asio::io_context io_;
  std::vector<Peer> peers_;
  std::uint64_t seed_ = 0;
  ExpectationEngine engine_;
  Attribution attribution_;
  std::unique_ptr<SockDiag> diag_;
  std::unique_ptr<DestroyWatch> destroyed_watch_;  // only with command peers: their final bytes
  std::vector<SocketRecord> destroyed_;
  std::unique_ptr<NftSession> nft_;  // only for cases with faults or packets expectations
  int faults_added_ = 0;
  std::vector<std::size_t> deferred_counters_;  // packets expectations waiting for a late peer
  std::vector<std::pair<const TimelineEntry*, std::uint64_t>> deferred_faults_;  // with its seed
  std::int64_t run_start_ns_ = 0;
  std::int64_t t0_ns_ = 0;
  bool t0_given_ = false;
  bool ending_ = false;
  std::string error_;
  std::vector<std::string> cues_given_;
  std::vector<std::pair<std::int64_t, RecordedEvent>> pending_events_;  // before t = 0: raw ns
  std::vector<RecordedEvent> events_;
  std::vector<RecordedEvent> new_events_;
  std::vector<Json> notes_;  // what the runner itself did: cues, kills, starts
  std::vector<SocketRecord> records_;
  std::optional<Observation> previous_;
  Json samples_ = Json::array();
  Json last_counts_;
  std::int64_t observations_ = 0;
  std::uint32_t last_full_dump_size_ = 0;
  bool has_commands_ = false;
  Json command_failures_ = Json::array();       // commands that exited with an unexpected status
  // A command's data, from its sockets' tcp_info: per socket cookie the last (peer, sent,
  // received) seen, and per peer the totals already turned into progress events.
  struct SocketBytes {
    int peer = -1;
    std::int64_t sent = 0, received = 0;
  };
  std::unordered_map<std::uint64_t, SocketBytes> command_socket_bytes_;
  std::vector<std::pair<std::int64_t, std::int64_t>> command_bytes_counted_;  // per peer
};

bool CaseRun::wait_until(const std::function<bool()>& done, std::int64_t deadline_ns) {
  while (!done()) {
    if (!error_.empty()) return false;
    std::int64_t left = deadline_ns - monotonic_ns();
    if (left <= 0) return false;
    pump(static_cast<int>(std::min<std::int64_t>(left / kMs + 1, 20)));
  }
  return true;
}

// Waits for any peer to write (at most timeout_ms), then handles what arrived.
void CaseRun::pump(int timeout_ms) {
  std::vector<pollfd> fds;
  for (auto& p : peers_) {
    if (!p.proc) continue;
    if (!p.proc->eof()) fds.push_back({p.proc->stdout_fd(), POLLIN, 0});
    if (p.proc->is_command() && !p.proc->err_eof()) fds.push_back({p.proc->stderr_fd(), POLLIN, 0});
  }
  if (fds.empty()) {
    if (timeout_ms > 0) ::usleep(static_cast<useconds_t>(timeout_ms) * 1000);
  } else {
    ::poll(fds.data(), fds.size(), std::max(timeout_ms, 0));
  }
  drain_all();
  reap_children();
}

void CaseRun::drain_all() {
  for (auto& p : peers_)
    if (p.proc)
      for (auto& line : p.proc->drain_lines()) handle_line(p, line);
}

void CaseRun::handle_line(Peer& p, const std::string& line) {
  Json msg = Json::parse(line, nullptr, false);
  if (msg.is_discarded() || !msg.is_object() || !msg.contains("type")) {
    fail_run("peer \"" + p.spec->name + "\" wrote a line that is not a protocol message: " + line);
    return;
  }
  const std::string type = msg.value("type", "");
  if (type == "ready") {
    p.ready = true;
  } else if (type == "bound") {
    std::string address = msg.value("address", "");
    int port = msg.value("port", -1);
    attribution_.claim(p.index, address, static_cast<std::uint16_t>(port));
    if (p.bound_port < 0 && (p.spec->kind == PeerKind::server || p.spec->kind == PeerKind::proxy)) {
      p.bound_address = address;
      p.bound_port = port;
      if (t0_given_) apply_deferred_rules();  // a late listener: its counters and faults
    }
  } else if (type == "event") {
    RecordedEvent e;
    e.peer = p.index;
    e.kind = msg.value("kind", "");
    e.errno_name = msg.value("errno", "");
    if (msg.contains("code")) e.code = msg["code"].get<int>();
    e.bytes = msg.value("bytes", std::int64_t{0});
    e.conn = msg.value("conn", -1);
    e.step = msg.value("step", -1);
    e.local = msg.value("local", "");
    e.remote = msg.value("remote", "");
    e.detail = msg.value("detail", "");
    std::int64_t t_ns = msg.value("t_ns", std::int64_t{0});
    if (t0_given_) {
      e.t_us = rel_us(t_ns);
      events_.push_back(e);
      new_events_.push_back(e);
    } else {
      pending_events_.emplace_back(t_ns, e);
    }
  } else if (type == "fatal") {
    fail_run("peer \"" + p.spec->name + "\" could not run its spec: " + msg.value("message", ""));
  } else {
    fail_run("peer \"" + p.spec->name + "\" wrote an unknown message type \"" + type + "\"");
  }
}

void CaseRun::reap_children() {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (auto& p : peers_) {
      if (!p.proc || p.proc->pid() != pid) continue;
      // Pick up its last lines before recording the exit, so the order stays true.
      for (auto& line : p.proc->drain_lines()) handle_line(p, line);
      p.exited = true;
      p.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      RecordedEvent e;
      e.peer = p.index;
      e.kind = "exit";
      e.code = p.exit_code;
      std::int64_t now = monotonic_ns();
      if (t0_given_) {
        e.t_us = rel_us(now);
        events_.push_back(e);
        new_events_.push_back(e);
      } else {
        pending_events_.emplace_back(now, e);
      }
      if (p.is_command()) {
        // A program under test that ends is data, not a harness failure; only a status other
        // than the expected one fails the case.
        const auto& expected = p.spec->command->exit_code;
        if (expected && *expected != p.exit_code && !ending_) {
          Json f = {{"peer", p.spec->name}, {"expected", *expected}, {"actual", p.exit_code},
                    {"message", "command \"" + p.spec->name + "\" exited with status " +
                                    std::to_string(p.exit_code) + ", expected exit_code " +
                                    std::to_string(*expected)}};
          if (t0_given_) f["t_ms"] = rel_us(now) / 1000;
          command_failures_.push_back(f);
        }
        continue;
      }
      if (!p.killed_by_timeline && !ending_)
        fail_run("peer \"" + p.spec->name + "\" (sockdrill-peer, pid " + std::to_string(pid) +
                 ") exited unexpectedly with status " + std::to_string(p.exit_code) +
                 (t0_given_ ? " at " + std::to_string(rel_us(now) / 1000) + " ms" : " before t = 0") +
                 (p.exit_code == 70 ? " (a harness error; see its message above)" : ""));
    }
  }
}

std::string CaseRun::resolve_placeholders(const std::string& text, std::string& problem) const {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '{') {
      out += text[i++];
      continue;
    }
    std::size_t close = text.find('}', i);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    if (text.find('{', i + 1) < close) {  // "{ ... {server.port}": this brace is the program's
      out += text[i++];
      continue;
    }
    std::string token = text.substr(i + 1, close - i - 1);
    i = close + 1;
    if (auto def = spec_.defines.find(token); def != spec_.defines.end()) {
      out += def->second;
      continue;
    }
    if (token == "case_dir") {
      out += std::filesystem::absolute(spec_.file).parent_path().string();
      continue;
    }
    auto dot = token.rfind('.');
    std::string name = token.substr(0, dot == std::string::npos ? 0 : dot);
    std::string field = dot == std::string::npos ? "" : token.substr(dot + 1);
    int idx = spec_.peer_index(name);
    if (idx < 0 || (field != "address" && field != "port")) {
      out += "{" + token + "}";  // not a placeholder: the program's own braces (checked before)
      continue;
    }
    const Peer& target = peers_[static_cast<std::size_t>(idx)];
    if (target.bound_port < 0) {
      problem = "{" + token + "} is not known yet: peer \"" + name + "\" has not bound a port";
      return text;
    }
    out += field == "port" ? std::to_string(target.bound_port)
                           : loopback_for(target.spec->listen ? target.spec->listen->address
                                                              : target.bound_address);
  }
  return out;
}

// The peer's object with every reference turned into a number or an address.
Json CaseRun::resolve_spec(const Peer& p, std::string& problem) const {
  Json spec = p.spec->raw;
  if ((p.spec->kind == PeerKind::server || p.spec->kind == PeerKind::proxy) && p.spec->listen) {
    const PortRef& port = p.spec->listen->port;
    int number = port.number;
    if (!port.peer.empty()) {
      const Peer& target = peers_[static_cast<std::size_t>(spec_.peer_index(port.peer))];
      if (target.bound_port < 0) {
        problem = "its port comes from peer \"" + port.peer + "\", which has not bound one";
        return spec;
      }
      number = target.bound_port;
    }
    Json& listen = p.spec->kind == PeerKind::proxy ? spec["proxy"]["listen"] : spec["listen"];
    listen["port"] = number;
    if (!listen.contains("address")) listen["address"] = p.spec->listen->address;
  }
  // connect.to and proxy.to: a peer's name or "ADDRESS:PORT" with placeholders.
  auto resolve_target = [&](const std::string& to) -> std::string {
    int idx = spec_.peer_index(to);
    if (idx < 0) return resolve_placeholders(to, problem);
    const Peer& target = peers_[static_cast<std::size_t>(idx)];
    if (target.bound_port < 0) {
      problem = "it connects to peer \"" + to + "\", which has no listening port (yet)";
      return to;
    }
    std::string address =
        loopback_for(target.spec->listen ? target.spec->listen->address : target.bound_address);
    return endpoint_text(address, target.bound_port);
  };
  if (p.spec->kind == PeerKind::client && p.spec->connect)
    spec["connect"]["to"] = resolve_target(p.spec->connect->to);
  if (p.spec->kind == PeerKind::proxy)
    spec["proxy"]["to"] = resolve_target(spec["proxy"]["to"].get<std::string>());
  return spec;
}

// A `command` peer: its argv and env with placeholders resolved, on the runner's environment.
bool CaseRun::start_command(Peer& p) {
  std::string problem;
  std::vector<std::string> argv;
  for (auto& a : p.spec->command->argv) argv.push_back(resolve_placeholders(a, problem));
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [key, value] : p.spec->command->env) env[key] = resolve_placeholders(value, problem);
  if (!problem.empty()) {
    fail_run("cannot start peer \"" + p.spec->name + "\": " + problem);
    return false;
  }
  std::vector<std::string> env_entries;
  for (auto& [key, value] : env) env_entries.push_back(key + "=" + value);
  p.proc = std::make_unique<PeerProcess>();
  try {
    p.proc->start_command(io_, argv, env_entries);
  } catch (const std::exception& e) {
    p.proc.reset();
    fail_run("cannot start peer \"" + p.spec->name + "\": " + e.what());
    return false;
  }
  p.started = true;
  p.ready = true;  // "commands started": nothing to wait for
  p.started_ns = monotonic_ns();
  return true;
}

bool CaseRun::start_peer(Peer& p) {
  if (p.is_command()) return start_command(p);
  std::string problem;
  Json spec = resolve_spec(p, problem);
  if (!problem.empty()) {
    fail_run("cannot start peer \"" + p.spec->name + "\": " + problem);
    return false;
  }
  p.proc = std::make_unique<PeerProcess>();
  try {
    // The case and peer names on its command line make `ps` readable (and tests precise).
    p.proc->start(io_, options_.peer_program,
                  {"--case", options_.display_name, "--peer", p.spec->name});
  } catch (const std::exception& e) {
    fail_run("cannot start peer \"" + p.spec->name + "\": " + e.what());
    return false;
  }
  p.started = true;
  p.started_ns = monotonic_ns();
  Json config = {{"type", "config"}, {"name", p.spec->name}, {"spec", spec}, {"seed", seed_}};
  if (t0_given_) config["t0_ns"] = t0_ns_;
  if (!p.source_v4.empty()) config["source"] = {{"v4", p.source_v4}, {"v6", p.source_v6}};
  p.proc->send_line(config.dump());
  for (auto& cue : cues_given_) p.proc->send_line(Json{{"type", "cue"}, {"name", cue}}.dump());
  for (auto& change : p.toxic_changes) p.proc->send_line(change.dump());
  return true;
}

void CaseRun::run_timeline_entry(const TimelineEntry& e) {
  std::int64_t t_ms = (monotonic_ns() - t0_ns_) / kMs;
  if (e.kind == TimelineEntry::cue) {
    cues_given_.push_back(e.cue_name);
    for (auto& p : peers_)
      if (p.proc && !p.exited) p.proc->send_line(Json{{"type", "cue"}, {"name", e.cue_name}}.dump());
    notes_.push_back({{"t_ms", t_ms}, {"cue", e.cue_name}});
  } else if (e.kind == TimelineEntry::kill) {
    Peer& p = peers_[static_cast<std::size_t>(spec_.peer_index(e.peer))];
    Json note = {{"t_ms", t_ms}, {"kill", e.peer}, {"signal", e.signal == SIGKILL ? "KILL" : "TERM"}};
    if (p.proc && !p.exited) {
      p.killed_by_timeline = true;
      ::kill(p.proc->pid(), e.signal);
    } else {
      note["detail"] = "not running at that time";
    }
    notes_.push_back(note);
  } else if (e.kind == TimelineEntry::fault) {
    run_fault(e);
    notes_.push_back({{"t_ms", t_ms}, {"fault", e.body}});
  } else if (e.kind == TimelineEntry::toxic) {
    const std::string proxy = e.body["proxy"].get<std::string>();
    Peer& p = peers_[static_cast<std::size_t>(spec_.peer_index(proxy))];
    Json line = {{"type", "toxic"}};
    if (e.body.contains("add")) line["add"] = e.body["add"];
    else line["remove"] = e.body["remove"];
    Json note = {{"t_ms", t_ms}, {"toxic", e.body}};
    if (p.proc && !p.exited) {
      p.proc->send_line(line.dump());
    } else if (!p.started) {
      p.toxic_changes.push_back(line);  // a proxy with start_ms: it starts with the change made
      note["detail"] = "the proxy starts later, with this change";
    } else {
      note["detail"] = "the proxy was not running at that time";
    }
    notes_.push_back(note);
  }
}

// Every client and proxy gets addresses of its own (127.77.0.N, fd00:5d::N) for the connections
// it opens, so that packet rules can name it from its first SYN on, before its port is known.
void CaseRun::assign_source_addresses() {
  for (auto& p : peers_) {
    if (p.spec->kind != PeerKind::client && p.spec->kind != PeerKind::proxy) continue;
    const int n = p.index + 1;
    p.source_v4 = "127.77.0." + std::to_string(n);
    char v6[64];
    std::snprintf(v6, sizeof v6, "fd00:5d::%x", n);
    p.source_v6 = v6;
    try {
      add_loopback_ipv6(p.source_v6);
    } catch (const std::exception& e) {
      fail_run(std::string("cannot give peer \"") + p.spec->name + "\" an address: " + e.what());
    }
  }
}

std::map<std::string, PeerIdentity> CaseRun::identities() const {
  std::map<std::string, PeerIdentity> out;
  for (auto& p : peers_) {
    PeerIdentity id;
    if (p.spec->kind == PeerKind::client) {
      id.v4 = p.source_v4;
      id.v6 = p.source_v6;
    } else if (p.bound_port >= 0) {
      const bool v6 = p.bound_address.find(':') != std::string::npos;
      const bool wildcard = p.bound_address == "0.0.0.0" || p.bound_address == "::";
      (v6 ? id.v6 : id.v4) = wildcard ? "" : p.bound_address;
      id.port = p.bound_port;
      id.source_v4 = p.source_v4;  // a proxy: its relays' upstream connections as well
      id.source_v6 = p.source_v6;
    } else {
      continue;  // not started, or not listening: rules naming it are refused when built
    }
    out[p.spec->name] = id;
  }
  return out;
}

// The namespace's own nftables table, with one counter per `packets` expectation.
// Whether a MATCH names a listening peer with start_ms that has not bound its port yet. Until it
// does no packet can be its, so its counters read 0 and its faults wait for it.
bool CaseRun::names_a_peer_not_there_yet(const Json& match) const {
  for (const char* key : {"from", "to"}) {
    if (!match.contains(key) || !match[key].is_string()) continue;
    int idx = spec_.peer_index(match[key].get<std::string>());
    if (idx < 0) continue;
    const Peer& p = peers_[static_cast<std::size_t>(idx)];
    // A client is known by its own source address from the start; a listener by its port.
    if (p.spec->start_ms && p.listens_first() && p.bound_port < 0) return true;
  }
  return false;
}

bool CaseRun::set_up_packet_rules() {
  bool needed = false;
  for (auto& e : spec_.timeline) needed = needed || e.kind == TimelineEntry::fault;
  for (auto& x : spec_.expect) needed = needed || x.selector.kind == Selector::packets;
  if (!needed) return true;
  try {
    nft_ = std::make_unique<NftSession>();
    auto ids = identities();
    for (std::size_t i = 0; i < spec_.expect.size(); ++i) {
      const Selector& sel = spec_.expect[i].selector;
      if (sel.kind != Selector::packets) continue;
      if (names_a_peer_not_there_yet(sel.packet_match))
        deferred_counters_.push_back(i);
      else
        nft_->add_counter("e" + std::to_string(i), sel.packet_match, ids);
    }
  } catch (const std::exception& e) {
    fail_run(std::string("cannot set up packet counters: ") + e.what());
    return false;
  }
  return true;
}

// A fault entry's action ("drop" or "reject"; not for "clear"), whose value is its MATCH.
const char* fault_action(const TimelineEntry& e) {
  return e.body.contains("drop") ? "drop" : "reject";
}

void CaseRun::run_fault(const TimelineEntry& e) {
  if (!nft_) return fail_run("a fault entry without the case's nftables table (a harness bug)");
  if (e.body.contains("clear")) {
    deferred_faults_.clear();  // cleared before their peer came: never in force
    return apply_fault(e, 0);
  }
  const std::uint64_t seed = seed_ + faults_added_++;  // each fault its own, in timeline order
  if (names_a_peer_not_there_yet(e.body[fault_action(e)]))
    deferred_faults_.emplace_back(&e, seed);
  else
    apply_fault(e, seed);
}

void CaseRun::apply_fault(const TimelineEntry& e, std::uint64_t seed) {
  try {
    if (e.body.contains("clear")) {
      nft_->clear_faults();
    } else {
      nft_->add_fault(fault_action(e), e.body[fault_action(e)], identities(), seed);
    }
  } catch (const std::exception& ex) {
    fail_run("fault at " + std::to_string(e.at_ms) + " ms (" + e.where.pointer +
             ") could not be applied: " + ex.what());
  }
}

// A late peer is on the wire now: the counters and faults that waited for it go in.
void CaseRun::apply_deferred_rules() {
  if (!nft_ || (deferred_counters_.empty() && deferred_faults_.empty())) return;
  try {
    auto ids = identities();
    std::erase_if(deferred_counters_, [&](std::size_t i) {
      const Json& match = spec_.expect[i].selector.packet_match;
      if (names_a_peer_not_there_yet(match)) return false;
      nft_->add_counter("e" + std::to_string(i), match, ids);
      return true;
    });
  } catch (const std::exception& e) {
    return fail_run(std::string("cannot set up packet counters: ") + e.what());
  }
  std::erase_if(deferred_faults_, [&](const auto& waiting) {
    const TimelineEntry& e = *waiting.first;
    if (names_a_peer_not_there_yet(e.body[fault_action(e)])) return false;
    apply_fault(e, waiting.second);
    return true;
  });
}

void CaseRun::take_sample() {
  drain_all();
  const std::int64_t t_ns = monotonic_ns();
  std::uint32_t mask = engine_.needed_state_mask();
  // Small tables are read whole, so the report shows every state; large ones only as needed.
  if (mask == 0 || last_full_dump_size_ < 2000 || observations_ % 20 == 0) mask = SockDiag::kAllStates;
  // Commands announce nothing: their sockets are found by inode in their processes' fds, both
  // before the dump (a socket closed since still has its inode in the dump) and after it (a
  // socket made just before the dump is in the fds by then).
  if (has_commands_) scan_command_trees();
  diag_->dump(mask, records_);
  if (mask == SockDiag::kAllStates) last_full_dump_size_ = static_cast<std::uint32_t>(records_.size());
  drain_all();  // every `bound` line for a socket in this dump was written before the socket
  if (has_commands_) {
    scan_command_trees();
    attribution_.claim_listening_endpoints(records_);
    for (auto& p : peers_)  // a command with start_ms that others connect to: listening yet?
      if (p.must_listen && p.started && p.bound_port < 0 && find_command_listener(p))
        apply_deferred_rules();
    count_command_bytes(rel_us(t_ns));
  }

  Observation obs;
  obs.t_us = rel_us(t_ns);
  obs.sockets.assign(peers_.size(), {});
  std::array<std::int64_t, kTcpStateSlots> unattributed{};
  for (auto& r : records_) {
    int owner = attribution_.owner(r);
    auto slot = static_cast<std::size_t>(r.state);
    if (slot >= kTcpStateSlots) continue;
    if (owner >= 0)
      obs.sockets[static_cast<std::size_t>(owner)][slot]++;
    else
      unattributed[slot]++;
  }
  ++observations_;
  if (nft_) {
    obs.packets.assign(spec_.expect.size(), -1);
    for (auto& [name, packets] : nft_->read_counters())
      if (name.size() > 1 && name[0] == 'e')
        obs.packets[std::stoul(name.substr(1))] = static_cast<std::int64_t>(packets);
    for (std::size_t i : deferred_counters_) obs.packets[i] = 0;  // its peer is not there yet
  }

  // Counts per peer for the report, kept only when they change.
  Json counts = Json::object();
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    Json per = Json::object();
    for (TcpState s : kAllTcpStates)
      if (auto n = obs.sockets[i][static_cast<std::size_t>(s)]) per[std::string(tcp_state_name(s))] = n;
    if (!per.empty()) counts[peers_[i].spec->name] = per;
  }
  Json other = Json::object();
  for (TcpState s : kAllTcpStates)
    if (auto n = unattributed[static_cast<std::size_t>(s)]) other[std::string(tcp_state_name(s))] = n;
  if (!other.empty()) counts["(unattributed)"] = other;
  if (counts != last_counts_) {
    samples_.push_back({{"t_ms", static_cast<double>(obs.t_us) / 1000.0}, {"sockets", counts}});
    last_counts_ = counts;
  }

  // The previous observation is decided now: every event stamped before it has surely been
  // read by now (a peer stamps an event a moment before it writes the line).
  if (previous_) engine_.observe(*previous_, new_events_), new_events_.clear();
  previous_ = std::move(obs);
}

// Whether the command's processes hold a listening socket yet (as of the caller's last
// scan_command_trees); the first one found becomes the command's address and port (for
// connect.to and placeholders).
bool CaseRun::find_command_listener(Peer& p) {
  if (p.bound_port >= 0) return true;
  std::vector<SocketRecord> listeners;
  diag_->dump(tcp_state_bit(TcpState::LISTEN), listeners);
  for (auto& r : listeners) {
    if (attribution_.owner(r) != p.index) continue;
    p.bound_address = r.local_address();
    p.bound_port = r.sport;
    return true;
  }
  return false;
}

// A command announces nothing, so its `bytes` come from its sockets as the kernel counts them:
// data received (without the FIN) and data sent on the wire (without retransmissions), as of
// this sample, turned into progress events like a sockdrill peer's.
void CaseRun::count_command_bytes(std::int64_t t_us) {
  // tcpi_bytes_received counts a received FIN as one byte. A live socket's state says whether
  // it got one; a freed socket (state CLOSE) is taken to have ended with the peer's FIN, as a
  // connection that was not reset does.
  auto record = [&](const SocketRecord& r, bool freed) {
    if (!r.has_bytes) return;
    int owner = attribution_.owner(r);
    if (owner < 0 || !peers_[static_cast<std::size_t>(owner)].is_command()) return;
    const bool fin_received = freed || r.state == TcpState::CLOSE_WAIT ||
                              r.state == TcpState::LAST_ACK || r.state == TcpState::CLOSING ||
                              r.state == TcpState::TIME_WAIT;
    auto received = static_cast<std::int64_t>(r.bytes_received) - (fin_received ? 1 : 0);
    auto sent = static_cast<std::int64_t>(r.bytes_sent - std::min(r.bytes_retrans, r.bytes_sent));
    auto& known = command_socket_bytes_[r.cookie];
    known = {owner, std::max(known.sent, sent), std::max({known.received, received, std::int64_t{0}})};
  };
  for (auto& r : records_) record(r, false);
  destroyed_.clear();
  if (destroyed_watch_) destroyed_watch_->read(destroyed_);
  for (auto& r : destroyed_) record(r, true);
  command_bytes_counted_.resize(peers_.size());
  std::vector<std::pair<std::int64_t, std::int64_t>> totals(peers_.size());
  for (auto& [cookie, b] : command_socket_bytes_) {
    totals[static_cast<std::size_t>(b.peer)].first += b.sent;
    totals[static_cast<std::size_t>(b.peer)].second += b.received;
  }
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    auto& counted = command_bytes_counted_[i];
    for (auto [kind, now, before] :
         {std::tuple{kBytesSent, totals[i].first, &counted.first},
          std::tuple{kBytesReceived, totals[i].second, &counted.second}}) {
      if (now <= *before) continue;  // kernel counters only grow
      RecordedEvent e;
      e.peer = static_cast<int>(i);
      e.kind = kind;
      e.bytes = now - *before;
      e.t_us = t_us;
      *before = now;
      events_.push_back(e);
      new_events_.push_back(e);
    }
  }
}

// Claims, for each running command peer, the socket inodes held by its process tree.
void CaseRun::scan_command_trees() {
  auto procs = read_processes();
  std::vector<std::uint32_t> inodes;
  for (auto& p : peers_) {
    if (!p.is_command() || !p.proc) continue;
    // Members seen before that still live (same start time) root the tree too.
    std::vector<pid_t> roots;
    if (!p.exited) roots.push_back(p.proc->pid());
    for (auto it = p.tree_members.begin(); it != p.tree_members.end();) {
      auto found = procs.find(it->first);
      if (found == procs.end() || found->second.start_ticks != it->second) {
        it = p.tree_members.erase(it);
      } else {
        roots.push_back(it->first);
        ++it;
      }
    }
    if (roots.empty()) continue;
    inodes.clear();
    for (pid_t pid : process_tree(roots, procs)) {
      p.tree_members.emplace(pid, procs[pid].start_ticks);
      socket_inodes_of(pid, inodes);
    }
    for (std::uint32_t inode : inodes) attribution_.claim_inode(p.index, inode);
  }
}

// Ends every process of every command's tree (the PID namespace does it too when the runner
// exits; this also holds where the namespace was refused).
void CaseRun::kill_command_trees() {
  if (!has_commands_) return;
  scan_command_trees();
  for (auto& p : peers_)
    for (auto& [pid, ticks] : p.tree_members)
      if (pid != ::getpid()) ::kill(pid, SIGKILL);
}

Json CaseRun::run() {
  run_start_ns_ = monotonic_ns();
  const std::int64_t hard_deadline = run_start_ns_ + spec_.timeout_ms * kMs;
  if (auto errors = apply_sysctls(spec_.sysctl); !errors.empty()) {
    for (auto& e : errors) fail_run("cannot apply " + e);
    return report("error", monotonic_ns());
  }
  try {
    diag_ = std::make_unique<SockDiag>();
    diag_->set_byte_counts(has_commands_);
    if (has_commands_) destroyed_watch_ = std::make_unique<DestroyWatch>();
  } catch (const std::exception& e) {
    fail_run(std::string("cannot open sock_diag netlink in the case's namespace: ") + e.what());
    return report("error", monotonic_ns());
  }

  assign_source_addresses();
  // Listening peers first, one by one, each once the peers it needs listen (a proxy's
  // destination, a port it rebinds), whatever their order in the file; then the rest. Each must
  // be ready before t = 0.
  auto starts_now = [](const Peer& p) { return !p.spec->start_ms.has_value(); };
  auto can_start = [&](const Peer& p) {
    for (auto& name : p.spec->needs) {
      const Peer& needed = peers_[static_cast<std::size_t>(spec_.peer_index(name))];
      if (starts_now(needed) && !needed.started) return false;
    }
    return true;
  };
  auto start_and_wait = [&](Peer& p) {
    if (!start_peer(p)) return;
    if (p.must_listen) {
      auto listens = [&] {
        scan_command_trees();
        return find_command_listener(p);
      };
      if (!wait_until([&] { return listens() || p.exited; }, hard_deadline)) {
        if (error_.empty())
          fail_run("command \"" + p.spec->name + "\" did not listen within the case's time "
                   "limit (other peers connect to it)");
      } else if (p.bound_port < 0) {
        reap_children();
        fail_run("command \"" + p.spec->name + "\" exited with status " +
                 std::to_string(p.exit_code) + " before it listened (other peers connect to it)");
      }
    } else if (p.listens_first() &&
               !wait_until([&] { return p.ready || p.exited; }, hard_deadline) && error_.empty()) {
      fail_run("peer \"" + p.spec->name + "\" did not become ready within the case's time limit");
    }
  };
  for (bool progress = true; progress && error_.empty();) {
    progress = false;
    for (auto& p : peers_) {
      if (!error_.empty() || p.started || !starts_now(p) || !p.listens_first() || !can_start(p))
        continue;
      start_and_wait(p);
      progress = true;
    }
  }
  for (auto& p : peers_)  // a cycle of listeners, or peers that only connect
    if (error_.empty() && !p.started && starts_now(p)) start_and_wait(p);
  if (error_.empty()) {
    bool ok = wait_until(
        [&] {
          for (auto& p : peers_)
            if (p.started && !p.ready && !p.exited) return false;
          return true;
        },
        hard_deadline);
    if (!ok && error_.empty()) fail_run("peers did not become ready within the case's time limit");
  }
  if (error_.empty()) set_up_packet_rules();
  if (!error_.empty()) return report("error", monotonic_ns());

  // t = 0.
  t0_ns_ = monotonic_ns();
  t0_given_ = true;
  for (auto& [t_ns, e] : pending_events_) {
    e.t_us = rel_us(t_ns);
    events_.push_back(e);
    new_events_.push_back(e);
  }
  pending_events_.clear();
  // Entries at 0 ms are in force at t = 0: a fault at 0 catches the very first SYN.
  std::size_t next_timeline = 0;
  while (next_timeline < spec_.timeline.size() && spec_.timeline[next_timeline].at_ms <= 0)
    run_timeline_entry(spec_.timeline[next_timeline++]);
  for (auto& p : peers_)
    if (p.proc && !p.exited) p.proc->send_line(Json{{"type", "start"}, {"t0_ns", t0_ns_}}.dump());

  const std::int64_t deadline = t0_ns_ + spec_.timeout_ms * kMs;
  std::vector<std::int64_t> boundaries = engine_.boundary_times_ms();
  std::int64_t last_sample_ms = -1;
  auto next_sample_ms = [&]() {
    std::int64_t next = (last_sample_ms / spec_.sample_ms + 1) * spec_.sample_ms;
    if (last_sample_ms < 0) next = 0;
    for (std::int64_t b : boundaries)
      if (b > last_sample_ms && b < next) next = b;
    return next;
  };

  std::string verdict;
  for (;;) {
    const std::int64_t now = monotonic_ns();
    const std::int64_t now_ms = (now - t0_ns_) / kMs;
    while (next_timeline < spec_.timeline.size() && spec_.timeline[next_timeline].at_ms <= now_ms)
      run_timeline_entry(spec_.timeline[next_timeline++]);
    for (auto& p : peers_)
      if (!p.started && p.spec->start_ms && *p.spec->start_ms <= now_ms) {
        notes_.push_back({{"t_ms", now_ms}, {"start", p.spec->name}});
        start_peer(p);
      }
    std::int64_t sample_at = next_sample_ms();
    if (now_ms >= sample_at) {
      take_sample();
      last_sample_ms = std::max(sample_at, now_ms);
      if (engine_.all_decided()) break;
    }
    if (!error_.empty()) break;
    if (now >= deadline) {
      fail_run("the case reached its time limit (timeout_ms " + std::to_string(spec_.timeout_ms) +
               ") before every expectation was decided");
      break;
    }
    // Sleep until the next thing to do, waking early for peer lines.
    std::int64_t wake_ms = next_sample_ms();
    if (next_timeline < spec_.timeline.size())
      wake_ms = std::min(wake_ms, spec_.timeline[next_timeline].at_ms);
    for (auto& p : peers_)
      if (!p.started && p.spec->start_ms) wake_ms = std::min(wake_ms, *p.spec->start_ms);
    std::int64_t wait_ns = std::min(t0_ns_ + wake_ms * kMs, deadline) - monotonic_ns();
    if (wait_ns > 0) pump(static_cast<int>((wait_ns + kMs - 1) / kMs));
    else {
      drain_all();
      reap_children();
    }
  }
  const std::int64_t end_ns = monotonic_ns();
  if (previous_ && !engine_.all_decided()) engine_.observe(*previous_, new_events_);
  new_events_.clear();
  if (!error_.empty()) {
    engine_.finish_undecided("the case ended before this was decided: " + error_, rel_us(end_ns));
    verdict = "error";
  } else {
    engine_.finish_undecided("the case ended before this was decided", rel_us(end_ns));
    verdict = "pass";
    for (auto& r : engine_.results())
      if (r.status != ExpectationResult::pass) verdict = "fail";
    if (!command_failures_.empty()) verdict = "fail";
  }
  return report(verdict, end_ns);
}

Json CaseRun::report(const std::string& verdict, std::int64_t end_ns) {
  ending_ = true;
  if (!error_.empty())  // a case that could not run leaves nothing pending without a reason
    engine_.finish_undecided("the case ended before this was decided: " + error_,
                             t0_given_ ? rel_us(end_ns) : 0);
  kill_command_trees();
  for (auto& p : peers_)
    if (p.proc && !p.exited) ::kill(p.proc->pid(), SIGKILL);

  Json out;
  out["name"] = options_.display_name;
  out["file"] = spec_.file.string();
  out["verdict"] = verdict;
  if (!error_.empty()) out["reason"] = error_;
  out["duration_ms"] = (end_ns - run_start_ns_) / kMs;
  out["seed"] = seed_;
  out["kernel"] = kernel_version();
  out["sysctl"] = read_tcp_sysctls(spec_.sysctl);
  out["isolation"] = isolation_.describe();
  out["sample_ms"] = spec_.sample_ms;
  out["observations"] = observations_;

  Json peers = Json::array();
  for (auto& p : peers_) {
    Json j = {{"name", p.spec->name}, {"started", p.started}};
    if (p.proc) j["pid"] = p.proc->pid();
    if (p.bound_port >= 0) j["listening"] = endpoint_text(p.bound_address, p.bound_port);
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
    peers.push_back(j);
  }
  out["peers"] = peers;
  if (!command_failures_.empty()) out["command_failures"] = command_failures_;

  Json expectations = Json::array();
  const auto& results = engine_.results();
  for (std::size_t i = 0; i < spec_.expect.size(); ++i) {
    const Expectation& x = spec_.expect[i];
    const ExpectationResult& r = results[i];
    Json j;
    j["index"] = i;
    j["expect"] = Json::parse(x.text, nullptr, false);
    j["where"] = spec_.file.string() + ":" + std::to_string(x.where.line) + ":" +
                 std::to_string(x.where.column);
    j["pointer"] = x.where.pointer;
    j["result"] = r.status == ExpectationResult::pass   ? "pass"
                  : r.status == ExpectationResult::fail ? "fail"
                                                        : "pending";
    if (r.decided_at_us >= 0) j["decided_at_ms"] = static_cast<double>(r.decided_at_us) / 1000.0;
    j["message"] = r.message;
    j["observed"] = r.observed;
    expectations.push_back(j);
  }
  out["expectations"] = expectations;

  std::vector<RecordedEvent> all = events_;
  for (auto& [t_ns, e] : pending_events_) {
    RecordedEvent copy = e;
    copy.t_us = t0_given_ ? rel_us(t_ns) : (t_ns - run_start_ns_) / 1000;
    all.push_back(copy);
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const RecordedEvent& a, const RecordedEvent& b) { return a.t_us < b.t_us; });
  Json events = Json::array();
  std::vector<std::pair<std::int64_t, std::int64_t>> bytes(peers_.size());  // sent, received
  for (auto& e : all) {
    // Progress of single reads and writes is summed per peer, not listed.
    if (e.kind == kBytesSent || e.kind == kBytesReceived) {
      auto& [sent, received] = bytes[static_cast<std::size_t>(e.peer)];
      (e.kind == kBytesSent ? sent : received) += e.bytes;
      continue;
    }
    Json j = {{"t_ms", static_cast<double>(e.t_us) / 1000.0},
              {"peer", peers_[static_cast<std::size_t>(e.peer)].spec->name},
              {"kind", e.kind}};
    if (e.conn >= 0) j["conn"] = e.conn;
    if (e.step >= 0) j["step"] = e.step;
    if (!e.errno_name.empty()) j["errno"] = e.errno_name;
    if (e.code) j["code"] = *e.code;
    if (e.bytes) j["bytes"] = e.bytes;
    if (!e.local.empty()) j["local"] = e.local;
    if (!e.remote.empty()) j["remote"] = e.remote;
    if (!e.detail.empty()) j["detail"] = e.detail;
    events.push_back(j);
  }
  out["events"] = events;
  for (std::size_t i = 0; i < peers_.size(); ++i)
    out["peers"][i]["bytes"] = {{"sent", bytes[i].first}, {"received", bytes[i].second}};
  out["timeline"] = notes_;
  if (nft_) {
    try {
      out["nftables"] = nft_->ruleset_text();
    } catch (const std::exception& e) {
      out["nftables"] = std::string("(could not list: ") + e.what() + ")";
    }
  }
  out["samples"] = samples_;
  if (destroyed_watch_ && destroyed_watch_->lost())
    out["warnings"] = Json::array({"the kernel dropped some socket destroy notices (its netlink "
                                   "buffer was full): byte counts of command peers may be short"});
  return out;
}

}  // namespace

Json run_case(const CaseSpec& spec, const RunOptions& options, const IsolationInfo& isolation) {
  CaseRun run(spec, options, isolation);
  return run.run();
}

}  // namespace sockdrill
