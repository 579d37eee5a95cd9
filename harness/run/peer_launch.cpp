// What a peer starts with, every reference to another peer resolved.
#include "harness/run/peer_launch.hpp"

#include <filesystem>
#include <map>

extern char** environ;

namespace sockdrill {

PlaceholderValues placeholder_values(const CaseSpec& spec, const PeerTable& peers) {
  PlaceholderValues values;
  values.case_dir = std::filesystem::absolute(spec.file).parent_path().string();
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

std::optional<Json> peer_config_line(const PeerSlot& peer, const PeerTable& peers,
                                     const CaseSpec& spec, std::uint64_t seed,
                                     const CaseClock& clock, std::string& problem) {
  const PeerSpec& p = *peer.spec;
  Json body = p.raw;
  if ((p.kind == PeerKind::server || p.kind == PeerKind::proxy) && p.listen) {
    int number = p.listen->port.number;
    if (!p.listen->port.peer.empty()) {
      const PeerSlot& target = peers.named(p.listen->port.peer);
      if (!target.listening) {
        problem = "its port comes from peer \"" + p.listen->port.peer + "\", which has not bound one";
        return std::nullopt;
      }
      number = target.listening->port;
    }
    Json& listen = p.kind == PeerKind::proxy ? body["proxy"]["listen"] : body["listen"];
    listen["port"] = number;
    if (!listen.contains("address")) listen["address"] = p.listen->address;
  }
  if (p.kind == PeerKind::client && p.connect)
    body["connect"]["to"] = resolve_target(p.connect->to, spec, peers, problem);
  if (p.kind == PeerKind::proxy)
    body["proxy"]["to"] = resolve_target(body["proxy"]["to"].get<std::string>(), spec, peers, problem);
  if (!problem.empty()) return std::nullopt;
  Json line = {{"type", "config"}, {"name", p.name}, {"spec", body}, {"seed", seed}};
  if (clock.t0_given()) line["t0_ns"] = clock.t0_ns();
  if (!peer.source.v4.empty()) line["source"] = {{"v4", peer.source.v4}, {"v6", peer.source.v6}};
  return line;
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
