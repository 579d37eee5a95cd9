// The libmnl NETLINK_SOCK_DIAG socket that SockDiag and DestroyWatch share the opening of.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

struct mnl_socket;

namespace sockdrill::detail {

// Throws std::system_error(err) with "sock_diag: " + what.
[[noreturn]] void fail_sock_diag(int err, const std::string& what);

// A NETLINK_SOCK_DIAG socket (`flags`: SOCK_NONBLOCK or 0; close-on-exec always) with a receive
// buffer of `receive_buffer_bytes`, bound to the multicast `groups` (0: none). With
// `lean_records`, opened without CAP_NET_ADMIN (open_without_net_admin): the kernel leaves out of
// each record what only an administrator is sent. Throws std::system_error, naming `purpose`,
// when it cannot be opened or bound.
mnl_socket* open_sock_diag_socket(int flags, int receive_buffer_bytes, unsigned groups,
                                  const std::string& purpose, bool lean_records = false);

// One datagram into `buffer`: its length, or -1 with errno (EINTR is retried here). A datagram
// longer than the buffer is ENOSPC: libmnl sees MSG_TRUNC and reports it so.
ssize_t receive_datagram(mnl_socket* socket, std::vector<char>& buffer);

}  // namespace sockdrill::detail
