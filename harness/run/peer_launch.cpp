// What a peer starts with, every reference to another peer resolved.
#include "harness/run/peer_launch.hpp"

#include <filesystem>
#include <map>

extern char** environ;

namespace sockdrill {

PlaceholderValues placeholder_values(const CaseSpec& spec, const PeerTable& peers) {
  PlaceholderValues values;
  values.case_dir = case_dir_of(spec.file);
  values.defines = &spec.defines;
  values.peer = [&peers](const std::string& name, bool port) -> std::optional<std::string> {
    for (const PeerSlot& p : peers.all()) {
      if (p.spec->name != name) continue;
      if (!p.listening) return std::nullopt;
      return port ? std::to_string(p.listening->port) : PeerTable::reach_address(*p.listening);
    }
    return std::nullopt;
  };
  return values;
}

namespace {

// connect.to and proxy.to: a peer's name or "ADDRESS:PORT" with placeholders.
std::string resolve_target(const std::string& to, const CaseSpec& spec, const PeerTable& peers,
                           std::string& problem) {
  if (spec.find_peer(to) == nullptr) return resolve_placeholders(to, placeholder_values(spec, peers), problem);
  const PeerSlot& target = peers.named(to);
  if (!target.listening) {
    problem = "it connects to peer \"" + to + "\", which has no listening port (yet)";
    return to;
  }
  return endpoint_text(PeerTable::reach_address(*target.listening), target.listening->port);
}

}  // namespace

namespace {

// The listening endpoint of a server or proxy: its address, and its port or the port of the
// peer it takes one from (a restarted server).
std::optional<Endpoint> listen_endpoint(const ListenSpec& listen, const PeerTable& peers,
                                        std::string& problem) {
  int number = listen.port.number;
  if (!listen.port.peer.empty()) {
    const PeerSlot& target = peers.named(listen.port.peer);
    if (!target.listening) {
      problem = "its port comes from peer \"" + listen.port.peer + "\", which has not bound one";
      return std::nullopt;
    }
    number = target.listening->port;
  }
  return Endpoint{listen.address, number};
}

protocol::AcceptConfig accept_config(const AcceptMode& a) {
  protocol::AcceptConfig c;
  c.kind = a.kind == AcceptMode::never      ? protocol::AcceptConfig::never
           : a.kind == AcceptMode::after_ms ? protocol::AcceptConfig::after
           : a.kind == AcceptMode::on_cue   ? protocol::AcceptConfig::on_cue
                                            : protocol::AcceptConfig::immediately;
  c.after_ms = a.delay_ms;
  c.cue = a.cue;
  return c;
}

// A resolved "ADDRESS:PORT" as the protocol carries it.
std::optional<Endpoint> target_endpoint(const std::string& to, const CaseSpec& spec,
                                        const PeerTable& peers, std::string& problem) {
  const std::string text = resolve_target(to, spec, peers, problem);
  if (!problem.empty()) return std::nullopt;
  std::string why;
  auto e = parse_endpoint(text, &why);
  if (!e) problem = "its destination \"" + text + "\" is not an endpoint: " + why;
  return e;
}

}  // namespace

std::optional<protocol::PeerConfig> peer_config(const PeerSlot& peer, const PeerTable& peers,
                                                const CaseSpec& spec, std::uint64_t seed,
                                                const CaseClock& clock, std::string& problem) {
  const PeerSpec& p = *peer.spec;
  protocol::PeerConfig c;
  c.name = p.name;
  c.seed = seed;
  if (clock.t0_given()) c.t0_ns = clock.t0_ns();
  if (!peer.source.v4.empty()) {
    c.source_v4 = peer.source.v4;
    c.source_v6 = peer.source.v6;
  }
  if (p.script) c.script = *p.script;
  switch (p.kind) {
    case PeerKind::server: {
      c.role = protocol::PeerConfig::Role::server;
      auto listen = listen_endpoint(*p.listen, peers, problem);
      if (!listen) return std::nullopt;
      c.listen = *listen;
      c.backlog = p.listen->backlog;
      c.reuseaddr = p.listen->reuseaddr;
      c.accept = accept_config(p.listen->accept);
      c.listeners = peer.listeners;
      return c;
    }
    case PeerKind::client: {
      c.role = protocol::PeerConfig::Role::client;
      auto to = target_endpoint(p.connect->to, spec, peers, problem);
      if (!to) return std::nullopt;
      c.to = *to;
      c.count = p.connect->count;
      c.interval_ms = p.connect->interval_ms;
      c.timeout_ms = p.connect->timeout_ms;
      for (const SourceAddresses& more : peer.more_sources) c.more_sources.push_back({more.v4, more.v6});
      return c;
    }
    case PeerKind::proxy: {
      c.role = protocol::PeerConfig::Role::proxy;
      auto listen = listen_endpoint(*p.listen, peers, problem);
      auto to = listen ? target_endpoint(p.proxy_to, spec, peers, problem) : std::nullopt;
      if (!listen || !to) return std::nullopt;
      c.listen = *listen;
      c.to = *to;
      c.backlog = 4096;  // a relay for a thousand clients at once: the kernel caps it at somaxconn
      c.toxics = p.toxics;
      c.listeners = peer.listeners;
      for (const SourceAddresses& more : peer.more_sources) c.more_sources.push_back({more.v4, more.v6});
      return c;
    }
    case PeerKind::command: break;
  }
  problem = "a command has no sockdrill-peer configuration (a harness bug)";
  return std::nullopt;
}

std::optional<CommandLaunch> command_launch(const PeerSlot& peer, const PeerTable& peers,
                                            const CaseSpec& spec, std::string& problem) {
  const PlaceholderValues values = placeholder_values(spec, peers);
  CommandLaunch launch;
  for (auto& a : peer.spec->command->argv) launch.argv.push_back(resolve_placeholders(a, values, problem));
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [key, value] : peer.spec->command->env) env[key] = resolve_placeholders(value, values, problem);
  if (!problem.empty()) return std::nullopt;
  for (auto& [key, value] : env) launch.env.push_back(key + "=" + value);
  return launch;
}

}  // namespace sockdrill
