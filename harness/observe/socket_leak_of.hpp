// A SocketLeak's who and where, filled from the kernel's record of the socket: one place for
// guard and the GoogleTest check.
#pragma once
#include <sys/types.h>

#include <string>

#include "common/socket_leak.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill {

// Kind, holder (pid, fd, cmdline), state, both ends (no remote for a listener), unread data
// (unread_data_bytes: the FIN not counted) and send queue. The times are the caller's.
SocketLeak socket_leak_of(const SocketRecord& record, LeakKind kind, pid_t pid, int fd,
                          std::string cmdline);

}  // namespace sockdrill
