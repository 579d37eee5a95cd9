// The case's peers as the runner tracks them.
#include "harness/run/peer_table.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace sockdrill {

SourceAddresses source_addresses_of(int peer_index, int shard) {
  const int n = peer_index + 1;  // 1 .. kMaxPeers: 127.77.0.1, fd00:5d::1 for the first peer
  static_assert(kMaxPeers < 1024 && processes_for_connections(kMaxConnectionsPerPeer) <= 64);
  SourceAddresses a;
  a.v4 = "127.77." + std::to_string((n >> 8) + 4 * shard) + "." + std::to_string(n & 0xff);
  char v6[64];
  if (shard == 0) std::snprintf(v6, sizeof v6, "fd00:5d::%x", n);
  else std::snprintf(v6, sizeof v6, "fd00:5d::%x:%x", shard, n);
  a.v6 = v6;
  return a;
}

PeerTable::PeerTable(const CaseSpec& spec) {
  std::set<std::string> named;
  for (auto& p : spec.peers) named.insert(p.needs.begin(), p.needs.end());
  for (std::size_t i = 0; i < spec.peers.size(); ++i) {
    PeerSlot& slot = slots_.emplace_back();
    slot.spec = &spec.peers[i];
    slot.index = static_cast<int>(i);
    slot.must_listen = slot.is_command() && named.count(slot.spec->name) > 0;
    if (slot.spec->kind == PeerKind::client || slot.spec->kind == PeerKind::proxy)
      slot.source = source_addresses_of(slot.index);
    if (slot.spec->kind == PeerKind::client)
      for (int k = 1; k < processes_for_connections(slot.spec->connect->count); ++k)
        slot.more_sources.push_back(source_addresses_of(slot.index, k));
  }
  // Connections each listening peer is sent, by name: the clients' own, and a proxy's relays of
  // the connections it is sent (check refuses proxy cycles, so the walk ends). A server that never
  // accepts holds no descriptor for them (they wait in its accept queue), so it listens once; a
  // proxy holds two per connection (its client's and its destination's).
  std::map<std::string, const PeerSpec*> proxies;
  for (auto& p : spec.peers)
    if (p.kind == PeerKind::proxy) proxies[p.name] = &p;
  std::map<std::string, std::int64_t> sent;
  for (auto& p : spec.peers) {
    if (p.kind != PeerKind::client) continue;
    std::string hop = p.connect->to;
    sent[hop] += p.connect->count;
    for (std::size_t steps = 0; steps < proxies.size(); ++steps) {  // bounded: no cycles
      auto proxy = proxies.find(hop);
      if (proxy == proxies.end()) break;
      hop = proxy->second->proxy_to;
      sent[hop] += p.connect->count;
    }
  }
  constexpr std::int64_t kMost = std::int64_t{kMaxListeningProcesses} * kConnectionsPerProcess;
  for (PeerSlot& slot : slots_) {
    const PeerSpec& p = *slot.spec;
    if (p.kind == PeerKind::server && p.listen->accept.kind != AcceptMode::never)
      slot.listeners = processes_for_connections(static_cast<int>(std::min(sent[p.name], kMost)));
    if (p.kind == PeerKind::proxy) {
      slot.listeners = processes_for_connections(static_cast<int>(std::min(2 * sent[p.name], kMost)));
      for (int k = 1; k < slot.listeners; ++k) slot.more_sources.push_back(source_addresses_of(slot.index, k));
    }
  }
}

PeerSlot& PeerTable::named(const std::string& name) {
  for (auto& s : slots_)
    if (s.spec->name == name) return s;
  throw std::logic_error("no peer named \"" + name + "\" (a harness bug: the checker refuses it)");
}

const PeerSlot& PeerTable::named(const std::string& name) const {
  return const_cast<PeerTable*>(this)->named(name);
}

std::string PeerTable::reach_address(const Endpoint& listening) {
  if (listening.address == "0.0.0.0") return "127.0.0.1";
  if (listening.address == "::") return "::1";
  return listening.address;
}

std::vector<CommandProcess> PeerTable::commands() const {
  std::vector<CommandProcess> out;
  for (auto& s : slots_)
    if (s.is_command() && s.proc) out.push_back({s.index, s.proc->pid(), s.exited});
  return out;
}

std::vector<bool> PeerTable::is_command() const {
  std::vector<bool> out;
  for (auto& s : slots_) out.push_back(s.is_command());
  return out;
}

}  // namespace sockdrill
