// Taking a snapshot of the calling thread's network namespace.
#pragma once
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "harness/field/snapshot.hpp"

namespace sockdrill::field {

struct SnapshotRequest {
  std::vector<pid_t> only_pids;  // --pid: list only these processes (empty: every one)
  std::string netns_path;        // recorded only: the caller has entered it already
  std::function<void()> between_dump_chunks;  // tests only: changes the table midway through the dump
};

// One sock_diag dump of every TCP socket (with tcp_info; a socket the kernel sends twice while
// the table changes under the dump is counted once), one read of the processes'
// descriptors, the counters and the sysctls. Throws std::system_error when the kernel's table
// cannot be read.
Snapshot take_snapshot(const SnapshotRequest& request);

}  // namespace sockdrill::field
