// Reads TCP sockets through NETLINK_SOCK_DIAG (one legacy walk for both families, else an
// inet_diag_req_v2 dump per family) over a libmnl socket.
#include "harness/observe/sock_diag.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <system_error>

#include "harness/observe/sock_diag_parse.hpp"
#include "harness/observe/sock_diag_request.hpp"
#include "harness/observe/sock_diag_socket.hpp"

namespace sockdrill {
namespace {

using detail::fail_sock_diag;
// The kernel caps one dump chunk at 32 KiB (netlink_recvmsg's max_recvmsg_len); twice that
// leaves room, and a kernel that sends more is caught (ENOSPC from libmnl, which saw MSG_TRUNC).
constexpr std::size_t kReceiveBufferBytes = 64 * 1024;
// Only one chunk is queued at a time during a dump, so the default buffer would do; a larger
// one costs nothing and keeps a future multi-chunk kernel from dropping with ENOBUFS.
constexpr int kSocketBufferBytes = 1 << 20;
// A dump of millions of sockets is a few hundred thousand chunks at most; more is a kernel loop.
constexpr std::size_t kMaxChunksPerDump = 1'000'000;
// Exact lookups sent in one datagram. The kernel answers each at once, two messages of about a
// kilobyte of buffer each at most, and drops answers that find the receive buffer full: 32 stay
// well inside even the 208 KiB a socket gets without privileges.
constexpr std::size_t kLookupsPerBatch = 32;


std::string address_text(std::uint8_t family, const std::array<std::uint8_t, 16>& addr) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == AF_INET ? AF_INET : AF_INET6, addr.data(), text, sizeof text);
  return text;
}

std::string endpoint_text(std::uint8_t family, const std::array<std::uint8_t, 16>& addr,
                          std::uint16_t port) {
  const std::string address = address_text(family, addr);
  if (family == AF_INET) return address + ":" + std::to_string(port);
  return "[" + address + "]:" + std::to_string(port);
}

}  // namespace

std::string SocketRecord::local_address() const { return address_text(family, src); }
std::string SocketRecord::local_text() const { return endpoint_text(family, src, sport); }
std::string SocketRecord::remote_text() const { return endpoint_text(family, dst, dport); }

void set_child_tcp_ehash_entries(std::uint32_t buckets) {
  const char* path = "/proc/sys/net/ipv4/tcp_child_ehash_entries";
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail_sock_diag(errno, std::string("open ") + path + " for writing");
  const std::string value = std::to_string(buckets);
  ssize_t n = write(fd, value.data(), value.size());
  const int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(value.size()))
    fail_sock_diag(n < 0 ? err : EIO, "writing " + value + " to " + path);
}

long tcp_ehash_entries() {
  const char* path = "/proc/sys/net/ipv4/tcp_ehash_entries";
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_sock_diag(errno, std::string("open ") + path);
  char text[32] = {};
  ssize_t n = read(fd, text, sizeof text - 1);
  const int err = errno;
  close(fd);
  if (n <= 0) fail_sock_diag(n < 0 ? err : EIO, std::string("reading ") + path + ", expected a number");
  return std::strtol(text, nullptr, 10);
}


SockDiag::SockDiag() : buffer_(kReceiveBufferBytes) {
  // Lean records: the observer reads none of the administrator's attributes (marks, MD5, ULP).
  socket_ = detail::open_sock_diag_socket(0, kSocketBufferBytes, 0, "dumps", true);
}

SockDiag::~SockDiag() {
  if (socket_ != nullptr) mnl_socket_close(socket_);
}

void SockDiag::dump(std::uint32_t state_mask, std::vector<SocketRecord>& out) {
  out.clear();
  dump_bytes_ = 0;
  state_mask &= kAllStates;
  if (state_mask == 0) return;  // nothing asked: no need to ask the kernel
  if (broken_) drain();
  // A throw below leaves the rest of that dump queued on the socket; the next dump drains it.
  broken_ = true;
  if (one_walk_) {
    try {
      dump_walk(AF_UNSPEC, true, state_mask, out);
      broken_ = false;
      return;
    } catch (const std::system_error& e) {
      // A kernel without the legacy request refuses it before any record (and the refusal ends
      // that dump): ask per family from now on. Anything else is what it says.
      const int code = e.code().value();
      if (!out.empty() || (code != EINVAL && code != EOPNOTSUPP && code != ENOENT)) throw;
      one_walk_ = false;
    }
  }
  dump_walk(AF_INET, false, state_mask, out);
  dump_walk(AF_INET6, false, state_mask, out);
  broken_ = false;
}

namespace {

// The attributes a request asks for: every SocketRecord field is in inet_diag_msg, except the
// byte counts of tcp_info.
std::uint8_t extensions(bool byte_counts) {
  return byte_counts ? static_cast<std::uint8_t>(1u << (INET_DIAG_INFO - 1)) : std::uint8_t{0};
}

// Whole request messages (one, or a batch of lookups), sent to the kernel in one datagram.
void send_whole(mnl_socket* socket, const void* messages, std::size_t bytes, const ChunkContext& context) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    // send(), with no address: the kernel then judges what the answer may hold by the
    // credentials the socket was opened with (lean, see the constructor). An address, as
    // mnl_socket_sendto gives, makes it judge by the sending thread's, CAP_NET_ADMIN included.
    const ssize_t sent = ::send(mnl_socket_get_fd(socket), messages, bytes, 0);
    if (sent == static_cast<ssize_t>(bytes)) return;
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0) fail_sock_diag(errno, "sending the request of the " + request_text(context));
    fail_sock_diag(EIO, "short send of the request of the " + request_text(context) + ": " +
                            std::to_string(sent) + " of " + std::to_string(bytes) + " bytes");
  }
  fail_sock_diag(EINTR, "sending the request of the " + request_text(context) +
                            " was interrupted 100 times in a row");
}

// One dump request: inet_diag_req_v2 for one family, or the legacy inet_diag_req
// (TCPDIAG_GETSOCK), which the kernel answers for both families in one walk.
void send_request(mnl_socket* socket, const ChunkContext& context, std::uint32_t kernel_states) {
  const std::uint8_t ext = extensions(context.byte_counts);
  if (context.both_families) {
    const auto request = tcp_both_families_dump_request(kernel_states, context.seq, ext);
    send_whole(socket, &request, sizeof request, context);
  } else {
    const auto request = tcp_dump_request(context.family, kernel_states, context.seq, ext);
    send_whole(socket, &request, sizeof request, context);
  }
}

// One datagram of the answer to the request of `context` into `buffer`: its length, never 0.
std::size_t receive_answer(mnl_socket* socket, std::vector<char>& buffer, const ChunkContext& context) {
  const ssize_t n = detail::receive_datagram(socket, buffer);
  if (n < 0 && errno == ENOSPC)
    fail_sock_diag(EMSGSIZE, "a netlink datagram longer than the " + std::to_string(buffer.size()) +
                                 "-byte buffer was cut during the " + request_text(context));
  if (n < 0) fail_sock_diag(errno, "recv during the " + request_text(context));
  if (n == 0)
    fail_sock_diag(EIO, "recv returned 0 bytes during the " + request_text(context) + ", expected a message");
  return static_cast<std::size_t>(n);
}

}  // namespace

void SockDiag::dump_walk(std::uint8_t family, bool both_families, std::uint32_t state_mask,
                         std::vector<SocketRecord>& out) {
  std::uint32_t kernel_states = state_mask;
  if (state_mask & tcp_state_bit(TcpState::SYN_RECV)) kernel_states |= 1u << kTcpNewSynRecv;
  const ChunkContext context{++seq_, family, byte_counts_, both_families};
  send_request(socket_, context, kernel_states);

  for (std::size_t chunk = 0; chunk < kMaxChunksPerDump; ++chunk) {
    const std::size_t n = receive_answer(socket_, buffer_, context);
    dump_bytes_ += n;
    const ChunkResult result = parse_chunk(buffer_.data(), n, context, out);
    if (result.end == ChunkResult::End::done) return;
    if (result.end == ChunkResult::End::error) fail_sock_diag(result.error, result.message);
    if (between_chunks_) between_chunks_();
  }
  fail_sock_diag(EIO, "the " + request_text(context) + " did not end after " +
                          std::to_string(kMaxChunksPerDump) + " chunks");
}

void SockDiag::drain() {
  // Each recv makes the kernel produce the next chunk of the abandoned dump; EAGAIN means the
  // dump is over and nothing is left. libmnl's recvfrom takes no flags and this socket blocks,
  // so the descriptor is read directly with MSG_DONTWAIT.
  const int fd = mnl_socket_get_fd(socket_);
  for (std::size_t chunk = 0; chunk < kMaxChunksPerDump; ++chunk) {
    const ssize_t n = recv(fd, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
  }
  broken_ = false;
}

void SockDiag::find(const std::vector<SocketRecord>& which, std::vector<SocketRecord>& out) {
  std::vector<const SocketRecord*> connections;
  bool listeners = false;
  for (const SocketRecord& r : which) {
    if (r.state == TcpState::LISTEN)
      listeners = true;  // an exact lookup would pick any listener of the port, by hash
    else
      connections.push_back(&r);
  }
  if (listeners) {
    std::vector<SocketRecord> all;
    dump(tcp_state_bit(TcpState::LISTEN), all);
    for (const SocketRecord& now : all)
      for (const SocketRecord& r : which)
        if (r.state == TcpState::LISTEN && r.cookie == now.cookie) out.push_back(now);
  }
  if (!connections.empty()) look_up(connections, out);
}

void SockDiag::look_up(const std::vector<const SocketRecord*>& which, std::vector<SocketRecord>& out) {
  if (broken_) drain();
  const std::uint8_t ext = extensions(byte_counts_);
  std::vector<TcpDumpRequest> batch;
  for (std::size_t first = 0; first < which.size(); first += kLookupsPerBatch) {
    const std::size_t count = std::min(kLookupsPerBatch, which.size() - first);
    ChunkContext context{seq_ + 1, AF_UNSPEC, byte_counts_, false, static_cast<std::uint32_t>(count)};
    seq_ += static_cast<std::uint32_t>(count);
    batch.clear();
    for (std::size_t i = 0; i < count; ++i)
      batch.push_back(tcp_lookup_request(*which[first + i], context.seq + static_cast<std::uint32_t>(i), ext));
    // Replies to a batch thrown away midway are skipped by their sequence numbers.
    broken_ = true;
    send_whole(socket_, batch.data(), batch.size() * sizeof(TcpDumpRequest), context);
    std::size_t answered = 0;
    for (std::size_t reads = 0; answered < count; ++reads) {
      if (reads > 2 * count)
        fail_sock_diag(EIO, "the " + request_text(context) + " had " + std::to_string(answered) + " of " +
                                std::to_string(count) + " answers after " + std::to_string(reads) + " reads");
      const std::size_t n = receive_answer(socket_, buffer_, context);
      const ChunkResult result = parse_lookup_replies(buffer_.data(), n, context, out, answered);
      if (result.end == ChunkResult::End::error) fail_sock_diag(result.error, result.message);
    }
    broken_ = false;
  }
}

}  // namespace sockdrill
