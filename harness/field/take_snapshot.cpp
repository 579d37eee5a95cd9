// Taking a snapshot: the kernel's TCP table, who holds each socket, counters and sysctls.
#include "harness/field/take_snapshot.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <unordered_set>

#include "harness/field/socket_groups.hpp"
#include "harness/field/socket_owners.hpp"
#include "common/tcp_counters.hpp"
#include "harness/observe/dump_repair.hpp"
#include "harness/observe/process_tree.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill::field {
namespace {

std::string first_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string own_netns() {
  char target[64] = {};
  const ssize_t n = ::readlink("/proc/thread-self/ns/net", target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "";
}

// What /proc/net/sockstat says the namespace holds (in use, orphans, TIME_WAIT), and room.
std::size_t expected_sockets() {
  std::ifstream in("/proc/net/sockstat");
  std::string word;
  std::size_t total = 0;
  while (in >> word) {
    if (word != "TCP:") continue;
    std::string name;
    std::size_t value = 0;
    for (int i = 0; i < 3 && in >> name >> value; ++i) total += value;  // inuse, orphan, tw
    break;
  }
  return total + total / 8 + 64;
}

struct ProcessBuild {
  std::uint64_t sockets = 0;
  StateCounts states;
  GroupBuilder groups;
};

void add_to(std::uint64_t& sockets, StateCounts& states, GroupBuilder& groups, const SocketRecord& s,
            bool server_side) {
  ++sockets;
  ++states[s.state];
  groups.add(s, server_side);
}

}  // namespace

Snapshot take_snapshot(const SnapshotRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  Snapshot snap;
  snap.taken_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  utsname names{};
  if (::uname(&names) == 0) {
    snap.host = names.nodename;
    snap.kernel = names.release;
  }
  snap.netns = own_netns();
  snap.netns_path = request.netns_path;
  snap.only_pids = request.only_pids;

  std::vector<SocketRecord> sockets;
  sockets.reserve(expected_sockets());  // growing a vector of 40,000 records cost 14% of a snapshot
  {
    SockDiag diag;
    diag.set_byte_counts(true);  // tcp_info: how long since the peer's last segment
    if (request.between_dump_chunks) diag.set_between_chunks(request.between_dump_chunks);
    diag.dump(SockDiag::kAllStates, sockets);
    // With no earlier read there is nothing to look up again: only the repeats are dropped. A
    // socket the dump skipped (one ahead of it closed between two chunks) stays uncounted.
    DumpRepair repeats;
    repeats.repair(SockDiag::kAllStates, {}, sockets,
                   [](const std::vector<SocketRecord>&, std::vector<SocketRecord>&) {});
  }
  std::unordered_set<std::uint32_t> inodes;
  inodes.reserve(sockets.size());
  for (const SocketRecord& s : sockets)
    if (s.inode != 0) inodes.insert(s.inode);
  const SocketOwners owners = read_socket_owners(request.only_pids, inodes);
  snap.all_processes = owners.unreadable == 0 && request.only_pids.empty();
  snap.unreadable_processes = owners.unreadable;

  const ListeningPorts listening(sockets);
  std::map<pid_t, ProcessBuild> builds;
  GroupBuilder orphan_groups, unattributed_groups;
  for (const SocketRecord& s : sockets) {
    ++snap.sockets;
    ++snap.states[s.state];
    const bool server_side = listening.serves(s);
    const auto held = s.inode != 0 ? owners.holders.find(s.inode) : owners.holders.end();
    if (s.inode == 0) {
      add_to(snap.orphans.sockets, snap.orphans.states, orphan_groups, s, server_side);
    } else if (held == owners.holders.end()) {
      add_to(snap.unattributed.sockets, snap.unattributed.states, unattributed_groups, s, server_side);
    } else {
      for (pid_t pid : held->second) {
        ProcessBuild& b = builds[pid];
        add_to(b.sockets, b.states, b.groups, s, server_side);
      }
    }
    if (s.state == TcpState::LISTEN) {
      Listener l;
      l.local = endpoint_text(s.family, s.src, s.sport);
      if (held != owners.holders.end()) l.pids = held->second;
      l.accept_queue = s.rqueue;
      l.backlog = s.wqueue;
      snap.listeners.push_back(std::move(l));
    }
  }
  snap.orphans.groups = orphan_groups.take();
  snap.unattributed.groups = unattributed_groups.take();
  for (auto& [pid, b] : builds) {
    ProcessSockets p;
    p.pid = pid;
    p.comm = first_line_of("/proc/" + std::to_string(pid) + "/comm");
    p.cmdline = command_line_of(pid);
    p.sockets = b.sockets;
    p.states = std::move(b.states);
    p.groups = b.groups.take();
    snap.processes.push_back(std::move(p));
  }
  std::sort(snap.processes.begin(), snap.processes.end(), [](const ProcessSockets& a, const ProcessSockets& b) {
    return a.sockets != b.sockets ? a.sockets > b.sockets : a.pid < b.pid;
  });
  std::sort(snap.listeners.begin(), snap.listeners.end(), [](const Listener& a, const Listener& b) {
    return a.accept_queue != b.accept_queue ? a.accept_queue > b.accept_queue : a.local < b.local;
  });
  snap.counters = read_tcp_counters();
  snap.sysctls = read_tcp_sysctls();
  snap.took_ms = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::steady_clock::now() - started)
                                                .count());
  return snap;
}

}  // namespace sockdrill::field
