// Maps a full id range into the runner's new user namespace from outside it (newuidmap needs that).
#pragma once
#include <sys/types.h>

#include <string>

#include "harness/run/subordinate_ids.hpp"

namespace sockdrill {

// The handshake: the runner makes the helper (a fork still in the host's namespaces), unshares
// its user namespace, then map() tells the helper to run newuidmap/newgidmap for the runner's
// pid and waits for its answer. A user namespace's maps can only be written by a process
// outside it with the rights to do so, here the setuid newuidmap. Use from one thread.
class IdMapper {
 public:
  // Forks the helper. Throws std::runtime_error when it cannot.
  IdMapper(const IdMapPlan& plan, uid_t uid, gid_t gid);
  // A helper never told to map ends at the closed pipe; it is reaped here.
  ~IdMapper();
  IdMapper(const IdMapper&) = delete;
  IdMapper& operator=(const IdMapper&) = delete;

  // After unshare(CLONE_NEWUSER): "" once both maps are written, else what went wrong.
  std::string map();

 private:
  void finish();
  pid_t helper_ = -1;
  int go_ = -1;      // runner -> helper: one byte, "unshared now"
  int answer_ = -1;  // helper -> runner: "" or the failure, then EOF
};

}  // namespace sockdrill
