// The case checker's peers: servers, clients, commands and proxies, and their references.
#include <arpa/inet.h>

#include <algorithm>

#include "behaviors/script.hpp"
#include "common/endpoint.hpp"
#include "harness/case/case_checker.hpp"

namespace sockdrill {

namespace {

bool is_peer_name(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Clients and proxies connect from 127.77.0.0/16 and fd00:5d::/64, one address each: a peer
// that listened there would be taken for one of them.
bool reserved_for_clients(const std::string& address) {
  if (is_ipv4_literal(address)) return address.rfind("127.77.", 0) == 0;
  if (!is_ipv6_literal(address)) return false;
  unsigned char a[16];
  ::inet_pton(AF_INET6, address.c_str(), a);
  static const unsigned char prefix[8] = {0xfd, 0x00, 0x00, 0x5d, 0, 0, 0, 0};
  return std::equal(prefix, prefix + 8, a);
}

bool holds_nul(const std::string& s) { return s.find('\0') != std::string::npos; }

}  // namespace

void CaseChecker::check_peers() {
  if (!checks::has_key(doc_, "", d_, "peers")) return;
  const Json& peers = doc_["peers"];
  if (!checks::is_object(peers, "/peers", d_)) return;
  if (peers.empty()) {
    error("/peers", "expected at least one peer, got an empty object");
    return;
  }
  if (peers.size() > kMaxPeers)
    error("/peers", "expected at most " + std::to_string(kMaxPeers) + " peers (each runs as a "
                    "process of its own), got " + std::to_string(peers.size()));
  // Names and kinds first, so any peer can refer to any other regardless of order.
  for (auto it = peers.begin(); it != peers.end(); ++it) {
    std::optional<PeerKind> kind;
    const Json& v = it.value();
    if (v.is_object()) {
      int n = 0;
      for (auto [key, k] : {std::pair{"listen", PeerKind::server}, std::pair{"connect", PeerKind::client},
                            std::pair{"command", PeerKind::command}, std::pair{"proxy", PeerKind::proxy}})
        if (v.contains(key)) {
          kind = k;
          ++n;
        }
      if (n != 1) kind.reset();
    }
    kinds_[it.key()] = kind;
  }
  for (auto it = peers.begin(); it != peers.end(); ++it) check_peer(it.key(), it.value());
}

void CaseChecker::check_peer(const std::string& name, const Json& v) {
  auto ptr = pointer_join("/peers", name);
  if (!is_peer_name(name))
    key_error(ptr, "expected a peer name of a-z, 0-9, '_' and '-' starting with a letter a-z, got \"" +
                       name + "\"");
  if (!checks::is_object(v, ptr, d_)) return;
  if (!checks::exactly_one_key(v, ptr, d_, {"listen", "connect", "command", "proxy"})) {
    // No kind at all: a misspelt one ("lisen") is named among the keys of every kind.
    if (!kinds_.at(name) && !v.contains("listen") && !v.contains("connect") &&
        !v.contains("command") && !v.contains("proxy"))
      checks::known_keys(v, ptr, d_, {"listen", "connect", "command", "proxy", "options", "steps",
                                      "on_error", "start_ms"});
    return;
  }

  PeerSpec peer;
  peer.name = name;
  peer.kind = *kinds_.at(name);
  peer.where.pointer = ptr;
  switch (peer.kind) {
    case PeerKind::server:
      checks::known_keys(v, ptr, d_, {"listen", "options", "steps", "on_error", "start_ms"});
      peer.listen = check_listen(v["listen"], ptr + "/listen", name, false);
      break;
    case PeerKind::client:
      checks::known_keys(v, ptr, d_, {"connect", "options", "steps", "on_error", "start_ms"});
      peer.connect = check_connect(v["connect"], ptr + "/connect", name);
      break;
    case PeerKind::command:
      checks::known_keys(v, ptr, d_, {"command", "start_ms"});
      peer.command = check_command(v["command"], ptr + "/command", name);
      break;
    case PeerKind::proxy:
      checks::known_keys(v, ptr, d_, {"proxy", "start_ms"});
      peer.listen = check_proxy(v["proxy"], ptr + "/proxy", name, peer.proxy_to, peer.toxics);
      break;
  }
  if (auto s = int_at(v, ptr, "start_ms", 0)) peer.start_ms = *s;
  if (peer.kind == PeerKind::server || peer.kind == PeerKind::client) {
    behaviors::ParseContext ctx{d_, {}};
    peer.script = behaviors::Script::parse(v, ptr, ctx);
    for (auto& w : ctx.cues_waited) cues_waited_.push_back(w);
  }
  peer.needs = std::move(needs_[name]);
  spec_.peers.push_back(std::move(peer));
}

ListenSpec CaseChecker::check_listen(const Json& v, const std::string& ptr, const std::string& self,
                                     bool for_proxy) {
  ListenSpec listen;
  if (!checks::is_object(v, ptr, d_)) return listen;
  if (for_proxy) checks::known_keys(v, ptr, d_, {"address", "port"});
  else checks::known_keys(v, ptr, d_, {"address", "port", "backlog", "reuseaddr", "accept"});
  if (v.contains("address")) {
    auto p = ptr + "/address";
    if (checks::is_string(v["address"], p, d_)) {
      listen.address = v["address"].get<std::string>();
      if (!is_ip_literal(listen.address))
        error(p, "expected an IPv4 or IPv6 address such as \"127.0.0.1\" or \"::1\", got \"" +
                     listen.address + "\"");
      else if (reserved_for_clients(listen.address))
        error(p, "expected an address outside 127.77.0.0/16 and fd00:5d::/64, got \"" +
                     listen.address + "\": sockdrill's clients and proxies connect from those, so "
                     "sockets there would be taken for theirs");
    }
  }
  if (v.contains("port")) listen.port = check_port_ref(v["port"], ptr + "/port", self);
  if (for_proxy) return listen;
  if (auto b = int_at(v, ptr, "backlog", 1)) listen.backlog = static_cast<int>(*b);
  if (v.contains("reuseaddr") && checks::is_bool(v["reuseaddr"], ptr + "/reuseaddr", d_))
    listen.reuseaddr = v["reuseaddr"].get<bool>();
  if (v.contains("accept")) listen.accept = check_accept(v["accept"], ptr + "/accept");
  return listen;
}

PortRef CaseChecker::check_port_ref(const Json& v, const std::string& ptr, const std::string& self) {
  PortRef port;
  if (v.is_number()) {
    if (checks::is_int(v, ptr, d_, 0, 65535)) port.number = v.get<int>();
    return port;
  }
  if (v.is_string()) {
    auto s = v.get<std::string>();
    if (s.size() > 7 && s.front() == '{' && s.ends_with(".port}")) {
      auto peer = s.substr(1, s.size() - 7);
      if (listening_peer(peer, ptr, self, "placeholder \"" + s + "\": ")) port.peer = peer;
      return port;
    }
  }
  error(ptr, "expected a port: an integer from 0 to 65535 or \"{PEER.port}\", got " +
                 checks::describe_type(v));
  return port;
}

AcceptMode CaseChecker::check_accept(const Json& v, const std::string& ptr) {
  AcceptMode mode;
  if (v.is_string() && (v == "immediately" || v == "never")) {
    mode.kind = v == "never" ? AcceptMode::never : AcceptMode::immediately;
    return mode;
  }
  if (!v.is_object()) {
    error(ptr, "expected \"immediately\", \"never\", {\"after_ms\": N} or {\"on_cue\": \"NAME\"}, got " +
                   checks::describe_type(v));
    return mode;
  }
  checks::known_keys(v, ptr, d_, {"after_ms", "on_cue"});
  if (!checks::exactly_one_key(v, ptr, d_, {"after_ms", "on_cue"})) return mode;
  if (v.contains("after_ms")) {
    mode.kind = AcceptMode::after_ms;
    if (auto n = int_at(v, ptr, "after_ms", 0)) mode.delay_ms = *n;
  } else {
    mode.kind = AcceptMode::on_cue;
    if (auto cue = non_empty_string(v["on_cue"], ptr + "/on_cue", "a cue name")) {
      mode.cue = *cue;
      cues_waited_.emplace_back(*cue, ptr + "/on_cue");
    }
  }
  return mode;
}

// connect.to and proxy.to: a peer name, or "ADDRESS:PORT" (common/endpoint.hpp) that may hold
// placeholders.
std::string CaseChecker::check_target(const Json& v, const std::string& ptr, const std::string& self) {
  if (!checks::is_string(v, ptr, d_)) return "";
  auto s = v.get<std::string>();
  if (s.find_first_of(":[{") == std::string::npos) {
    if (s.empty()) error(ptr, "expected a peer name or \"ADDRESS:PORT\", got \"\"");
    else listening_peer(s, ptr, self);
    return s;
  }
  if (!placeholders(s, ptr, self)) return s;
  std::string why;
  auto parts = split_endpoint(s, &why);
  if (!parts) {
    error(ptr, s.find(':') == std::string::npos
                   ? "expected \"ADDRESS:PORT\" or a peer name, got \"" + s + "\" (no \":PORT\")"
                   : why);
    return s;
  }
  if (parts->host.find('{') == std::string::npos && !is_ip_literal(parts->host))
    error(ptr, "expected an IPv4 or IPv6 address before the port, got \"" + parts->host + "\" in \"" + s + "\"");
  if (parts->port.find('{') == std::string::npos && !parse_port(parts->port))
    error(ptr, "expected a port from 0 to 65535 after the last ':', got \"" + parts->port + "\" in \"" + s + "\"");
  return s;
}

ConnectSpec CaseChecker::check_connect(const Json& v, const std::string& ptr, const std::string& self) {
  ConnectSpec c;
  if (!checks::is_object(v, ptr, d_)) return c;
  checks::known_keys(v, ptr, d_, {"to", "count", "interval_ms", "timeout_ms"});
  if (checks::has_key(v, ptr, d_, "to")) c.to = check_target(v["to"], ptr + "/to", self);
  if (auto n = int_at(v, ptr, "count", 1, kMaxConnectionsPerPeer)) c.count = static_cast<int>(*n);
  if (auto n = int_at(v, ptr, "interval_ms", 0)) c.interval_ms = *n;
  if (auto n = int_at(v, ptr, "timeout_ms", 1)) c.timeout_ms = *n;
  return c;
}

CommandSpec CaseChecker::check_command(const Json& v, const std::string& ptr, const std::string& self) {
  CommandSpec c;
  if (!checks::is_object(v, ptr, d_)) return c;
  checks::known_keys(v, ptr, d_, {"argv", "env", "exit_code"});
  const std::string nul = " holds a NUL character (\\u0000): a program's arguments and environment "
                          "end at the first one, so the rest would be lost";
  if (checks::has_key(v, ptr, d_, "argv") && checks::is_array(v["argv"], ptr + "/argv", d_)) {
    const Json& argv = v["argv"];
    if (argv.empty()) error(ptr + "/argv", "expected the program and its arguments, got an empty array");
    for (std::size_t i = 0; i < argv.size(); ++i) {
      auto p = pointer_join(ptr + "/argv", i);
      if (!checks::is_string(argv[i], p, d_)) continue;
      auto arg = argv[i].get<std::string>();
      if (i == 0 && arg.empty()) error(p, "expected the program to run, got an empty string");
      if (holds_nul(arg)) error(p, "argument " + std::to_string(i) + nul);
      placeholders(arg, p, self, i == 0 ? Braces::program : Braces::program_text);
      c.argv.push_back(arg);
    }
  }
  if (v.contains("env") && checks::is_object(v["env"], ptr + "/env", d_)) {
    const Json& env = v["env"];
    for (auto it = env.begin(); it != env.end(); ++it) {
      auto p = pointer_join(ptr + "/env", it.key());
      if (it.key().empty() || it.key().find('=') != std::string::npos || holds_nul(it.key()))
        key_error(p, "expected an environment variable name without '=' or NUL, got \"" + it.key() + "\"");
      if (!checks::is_string(it.value(), p, d_)) continue;
      if (holds_nul(it.value().get<std::string>())) error(p, "the value of " + it.key() + nul);
      placeholders(it.value().get<std::string>(), p, self, Braces::program_text);
      c.env[it.key()] = it.value().get<std::string>();
    }
  }
  if (auto n = int_at(v, ptr, "exit_code", 0, 255)) c.exit_code = static_cast<int>(*n);
  return c;
}

ListenSpec CaseChecker::check_proxy(const Json& v, const std::string& ptr, const std::string& self,
                                    std::string& to, std::vector<behaviors::ToxicSpec>& parsed) {
  ListenSpec listen;
  if (!checks::is_object(v, ptr, d_)) return listen;
  checks::known_keys(v, ptr, d_, {"listen", "to", "toxics"});
  if (v.contains("listen")) listen = check_listen(v["listen"], ptr + "/listen", self, true);
  if (checks::has_key(v, ptr, d_, "to")) to = check_target(v["to"], ptr + "/to", self);
  auto& names = proxy_toxics_[self];
  if (v.contains("toxics") && checks::is_array(v["toxics"], ptr + "/toxics", d_)) {
    const Json& toxics = v["toxics"];
    for (std::size_t i = 0; i < toxics.size(); ++i) {
      auto p = pointer_join(ptr + "/toxics", i);
      auto toxic = check_toxic(toxics[i], p);
      if (!toxic) continue;
      if (std::find(names.begin(), names.end(), toxic->name) != names.end())
        error(p + "/name", "toxic name \"" + toxic->name + "\" is used twice in this proxy; "
                               "give each toxic its own name");
      else names.push_back(toxic->name);
      parsed.push_back(std::move(*toxic));
    }
  }
  return listen;
}

std::optional<behaviors::ToxicSpec> CaseChecker::check_toxic(const Json& v, const std::string& ptr) {
  behaviors::ParseContext ctx{d_, {}};
  return behaviors::parse_toxic(v, ptr, ctx);
}

}  // namespace sockdrill
