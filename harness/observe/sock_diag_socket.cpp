// Opens, sizes and binds a libmnl NETLINK_SOCK_DIAG socket; receives one datagram from it.
#include "harness/observe/sock_diag_socket.hpp"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "harness/observe/without_net_admin.hpp"

namespace sockdrill::detail {

void fail_sock_diag(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), "sock_diag: " + what);
}

mnl_socket* open_sock_diag_socket(int flags, int receive_buffer_bytes, unsigned groups,
                                  const std::string& purpose, bool lean_records) {
  auto open = [flags] { return ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | flags, NETLINK_SOCK_DIAG); };
  const int descriptor = lean_records ? open_without_net_admin(open) : open();
  if (descriptor < 0)
    fail_sock_diag(errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG) for " + purpose + " failed, expected a descriptor");
  mnl_socket* socket = mnl_socket_fdopen(descriptor);
  if (socket == nullptr) {
    const int err = errno;
    ::close(descriptor);
    fail_sock_diag(err, "mnl_socket_fdopen for " + purpose);
  }
  // SO_RCVBUFFORCE passes net.core.rmem_max where we may (root); SO_RCVBUF is capped by it.
  const int fd = mnl_socket_get_fd(socket);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer_bytes, sizeof receive_buffer_bytes) != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
  // Groups are joined through bind(): NETLINK_ADD_MEMBERSHIP is taken without error but, on
  // this socket family, does not make the kernel send destroy notices (seen on Linux 6.18).
  if (mnl_socket_bind(socket, groups, MNL_SOCKET_AUTOPID) != 0) {
    const int err = errno;
    mnl_socket_close(socket);
    fail_sock_diag(err, "binding the socket for " + purpose + " (groups " + std::to_string(groups) + ")");
  }
  return socket;
}

ssize_t receive_datagram(mnl_socket* socket, std::vector<char>& buffer) {
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(socket, buffer.data(), buffer.size());
    if (n >= 0 || errno != EINTR) return n;
  }
}

}  // namespace sockdrill::detail
