// The libmnl sock_diag socket: a datagram longer than the buffer is reported, not parsed cut.
#include "harness/observe/sock_diag_socket.hpp"

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "tests/observe/test_sockets.hpp"

namespace {

namespace detail = sockdrill::detail;
namespace st = sockdrill::testing;

struct CloseMnl {
  void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};
using MnlSocket = std::unique_ptr<mnl_socket, CloseMnl>;

// Sends `bytes` bytes to the netlink port `portid` from another NETLINK_SOCK_DIAG socket (one
// user socket may send to another: root may).
void send_to_port(unsigned portid, std::size_t bytes) {
  st::Fd sender(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  ASSERT_GE(sender.get(), 0);
  sockaddr_nl to{};
  to.nl_family = AF_NETLINK;
  to.nl_pid = portid;
  const std::vector<char> payload(bytes, 'x');
  ASSERT_EQ(sendto(sender.get(), payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to),
                   sizeof to),
            static_cast<ssize_t>(bytes)) << "errno " << errno;
}

TEST(SockDiagSocket, ReceivesAWholeDatagram) {
  MnlSocket receiver(detail::open_sock_diag_socket(SOCK_NONBLOCK, 1 << 16, 0, "a test"));
  send_to_port(mnl_socket_get_portid(receiver.get()), 100);
  std::vector<char> buffer(128);
  EXPECT_EQ(detail::receive_datagram(receiver.get(), buffer), 100);
  EXPECT_EQ(detail::receive_datagram(receiver.get(), buffer), -1);
  EXPECT_EQ(errno, EAGAIN);
}

TEST(SockDiagSocket, DatagramLongerThanTheBufferIsEnospc) {
  MnlSocket receiver(detail::open_sock_diag_socket(SOCK_NONBLOCK, 1 << 16, 0, "a test"));
  send_to_port(mnl_socket_get_portid(receiver.get()), 200);
  std::vector<char> buffer(128);
  EXPECT_EQ(detail::receive_datagram(receiver.get(), buffer), -1);
  EXPECT_EQ(errno, ENOSPC);
}

}  // namespace
