// Filling a SocketLeak from a sock_diag record.
#include "harness/observe/socket_leak_of.hpp"

namespace sockdrill {

SocketLeak socket_leak_of(const SocketRecord& record, LeakKind kind, pid_t pid, int fd,
                          std::string cmdline) {
  SocketLeak leak;
  leak.kind = kind;
  leak.pid = pid;
  leak.cmdline = std::move(cmdline);
  leak.fd = fd;
  leak.state = record.state;
  leak.local = record.local_text();
  if (record.state != TcpState::LISTEN) leak.remote = record.remote_text();
  leak.recv_q = unread_data_bytes(record.state, record.rqueue);
  leak.send_q = record.wqueue;
  return leak;
}

}  // namespace sockdrill
