// Starting the guarded command: fork and exec, with exec's failure told back to guard.
#pragma once
#include <signal.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace sockdrill::guard {

struct Spawned {
  pid_t pid = -1;     // -1 when it could not be started
  int exec_errno = 0; // why not (ENOENT: not found, EACCES: not executable, ...)
};

// Runs argv[0] through PATH with guard's environment and descriptors (standard streams
// included: the command writes to the same terminal). `unblock` is the signal mask the child
// gets back before exec (guard blocks the signals it waits for).
Spawned spawn_command(const std::vector<std::string>& argv, const sigset_t& unblock);

}  // namespace sockdrill::guard
