// A snapshot of a network namespace's TCP sockets, grouped by process and state: the typed model
// that `snapshot` prints, its JSON carries (sockdrill-snapshot/1) and `explain` reads.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/tcp_state.hpp"

namespace sockdrill::field {

inline constexpr const char* kSnapshotFormat = "sockdrill-snapshot/1";

// Sockets alike: one state, one side's endpoint exact and the other's port a wildcard (a
// server's "10.0.0.1:8080" <- "10.0.0.5:*", a client's "10.0.0.1:*" -> "10.0.0.5:5432").
struct SocketGroup {
  TcpState state = TcpState::CLOSE;
  std::string local;   // "127.0.0.1:8080" or "127.0.0.1:*"
  std::string remote;  // "10.0.0.5:5432" or "10.0.0.5:*"; "*:*" for a listener
  std::uint64_t count = 0;
  // Unread data bytes, summed (without the 1 the kernel counts for a FIN the program has not
  // read); LISTEN: the accept queue.
  std::uint64_t recv_q = 0;
  std::uint32_t recv_q_max = 0;
  std::uint64_t with_unread = 0;  // sockets with recv_q > 0
  std::uint64_t send_q = 0;       // unacknowledged bytes, summed
  std::uint64_t with_unsent = 0;  // sockets with send_q > 0
  // From tcp_info (full sockets: not TIME_WAIT or SYN_RECV requests): how long since the peer's
  // last segment, newest and oldest over the group; since data last moved either way, oldest.
  std::optional<std::uint32_t> quiet_ms_min, quiet_ms_max, idle_ms_max;
  // Over the sockets with unread data: since data last arrived (so the unread data has waited
  // at least this long), least and most.
  std::optional<std::uint32_t> unread_for_ms_min, unread_for_ms_max;
  // Kernel timers running on the group's sockets: "keepalive", "retransmit", "time_wait",
  // "zero_window_probe" -> how many; with the longest time left on any.
  std::map<std::string, std::uint64_t> timers;
  std::optional<std::uint32_t> expires_ms_max;
};

using StateCounts = std::map<TcpState, std::uint64_t>;

// The sockets one process holds (a socket shared by several processes is counted under each).
struct ProcessSockets {
  pid_t pid = 0;
  std::string comm;     // /proc/PID/comm
  std::string cmdline;  // argv joined by spaces, cut to 200 bytes
  std::uint64_t sockets = 0;
  StateCounts states;
  std::vector<SocketGroup> groups;  // largest first
};

// Sockets no process shows: `orphans` the kernel keeps with no descriptor (TIME_WAIT, SYN_RECV
// requests, FIN_WAIT2 after close()...); `unattributed` are held by a process this user may not
// read (or left out by --pid).
struct Ownerless {
  std::uint64_t sockets = 0;
  StateCounts states;
  std::vector<SocketGroup> groups;
};

struct Listener {
  std::string local;  // "0.0.0.0:8080"
  std::vector<pid_t> pids;
  std::uint32_t accept_queue = 0;  // connections waiting for accept()
  std::uint32_t backlog = 0;       // the listen() backlog the kernel applies (capped by somaxconn)
};

struct Snapshot {
  std::string format = kSnapshotFormat;
  std::int64_t taken_at_ms = 0;  // Unix time
  std::string host;
  std::string kernel;            // uname -r
  std::string netns;             // "net:[4026531840]"
  std::string netns_path;        // what --netns named; "" for the caller's own
  bool all_processes = false;    // every process's descriptors could be read (root)
  std::uint64_t unreadable_processes = 0;
  std::vector<pid_t> only_pids;  // --pid: the processes the snapshot was limited to
  std::uint64_t sockets = 0;     // every TCP socket of the namespace
  StateCounts states;            // of the namespace
  std::vector<ProcessSockets> processes;  // most sockets first
  Ownerless orphans;
  Ownerless unattributed;
  std::vector<Listener> listeners;
  std::map<std::string, std::string> sysctls;  // "net.ipv4.tcp_fin_timeout" -> "60"
  std::map<std::string, std::int64_t> counters;  // "TcpExtListenOverflows" -> 12 (since boot)
  std::uint32_t took_ms = 0;  // how long taking it took
};

}  // namespace sockdrill::field
