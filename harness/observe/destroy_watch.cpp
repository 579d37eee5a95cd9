// DestroyWatch: the kernel's notices of freed TCP sockets, read from sock_diag's destroy groups.
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

#include <cerrno>

#include "harness/observe/sock_diag.hpp"
#include "harness/observe/sock_diag_parse.hpp"
#include "harness/observe/sock_diag_socket.hpp"

namespace sockdrill {
namespace {

// A notice is a few hundred bytes and each comes alone in its datagram: 64 KiB is plenty.
constexpr std::size_t kDatagramBytes = 64 * 1024;
constexpr unsigned kTcpDestroyGroups =
    (1u << (SKNLGRP_INET_TCP_DESTROY - 1)) | (1u << (SKNLGRP_INET6_TCP_DESTROY - 1));

}  // namespace

DestroyWatch::DestroyWatch(int receive_buffer_bytes) : buffer_(kDatagramBytes) {
  socket_ = detail::open_sock_diag_socket(SOCK_NONBLOCK, receive_buffer_bytes, kTcpDestroyGroups,
                                          "TCP destroy notices");
}

DestroyWatch::~DestroyWatch() {
  if (socket_ != nullptr) mnl_socket_close(socket_);
}

void DestroyWatch::read(std::vector<SocketRecord>& out) {
  // Kernel notices carry sequence number 0, both families, and always tcp_info.
  const ChunkContext notices{0, AF_UNSPEC, true};
  for (;;) {
    const ssize_t n = detail::receive_datagram(socket_, buffer_);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // nothing more now
    // ENOBUFS: the kernel dropped notices (the buffer was full); the queued ones still come.
    // ENOSPC: a datagram longer than the buffer, cut. Either way counts may be short.
    if (n < 0 && (errno == ENOBUFS || errno == ENOSPC)) {
      lost_ = true;
      continue;
    }
    if (n <= 0) {  // an error the socket should never give: what is queued stays unread
      lost_ = true;
      return;
    }
    if (parse_chunk(buffer_.data(), static_cast<std::size_t>(n), notices, out).end ==
        ChunkResult::End::error)
      lost_ = true;  // its records before the fault are kept; the rest of it is lost
  }
}

}  // namespace sockdrill
