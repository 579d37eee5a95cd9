// Reads TCP sockets through NETLINK_SOCK_DIAG (inet_diag_req_v2 dumps), parsed by hand.
#include "harness/observe/sock_diag.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace sockdrill {
namespace {

// The kernel caps one dump chunk at 32 KiB (netlink_recvmsg's max_recvmsg_len); twice that
// leaves room, and MSG_TRUNC still catches a kernel that sends more.
constexpr std::size_t kReceiveBufferBytes = 64 * 1024;
// Request sockets live in the hash as TCP_NEW_SYN_RECV (12) and are reported as SYN_RECV.
constexpr unsigned kTcpNewSynRecv = 12;
// A dump of millions of sockets is a few hundred thousand chunks at most; more is a kernel loop.
constexpr std::size_t kMaxChunksPerDump = 1'000'000;

[[noreturn]] void fail(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), "sock_diag: " + what);
}

const char* family_name(std::uint8_t family) { return family == AF_INET ? "AF_INET" : "AF_INET6"; }

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
  if (fd < 0) fail(errno, std::string("open ") + path + " for writing");
  const std::string value = std::to_string(buckets);
  ssize_t n = write(fd, value.data(), value.size());
  const int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(value.size()))
    fail(n < 0 ? err : EIO, "writing " + value + " to " + path);
}

long tcp_ehash_entries() {
  const char* path = "/proc/sys/net/ipv4/tcp_ehash_entries";
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(errno, std::string("open ") + path);
  char text[32] = {};
  ssize_t n = read(fd, text, sizeof text - 1);
  const int err = errno;
  close(fd);
  if (n <= 0) fail(n < 0 ? err : EIO, std::string("reading ") + path + ", expected a number");
  return std::strtol(text, nullptr, 10);
}

SockDiag::SockDiag() : buffer_(kReceiveBufferBytes) {
  fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd_ < 0) fail(errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG) failed, expected a descriptor");
  // Only one chunk is queued at a time during a dump, so the default buffer would do; a larger
  // one costs nothing and keeps a future multi-chunk kernel from dropping with ENOBUFS.
  int rcvbuf = 1 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
}

SockDiag::~SockDiag() {
  if (fd_ >= 0) close(fd_);
}

void SockDiag::dump(std::uint32_t state_mask, std::vector<SocketRecord>& out) {
  out.clear();
  state_mask &= kAllStates;
  if (state_mask == 0) return;  // nothing asked: no need to ask the kernel
  if (broken_) drain();
  // A throw below leaves the rest of that dump queued on the socket; the next dump drains it.
  broken_ = true;
  dump_family(AF_INET, state_mask, out);
  dump_family(AF_INET6, state_mask, out);
  broken_ = false;
}

namespace {
// INET_DIAG_INFO's tcp_info, when the kernel attached one (full sockets) and it is long enough.
void read_byte_counts(const nlmsghdr* h, SocketRecord& r) {
  const auto* m = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
  int left = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
  for (auto* a = reinterpret_cast<const rtattr*>(m + 1); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
    if (a->rta_type != INET_DIAG_INFO) continue;
    const std::size_t have = RTA_PAYLOAD(a);
    if (have < offsetof(tcp_info, tcpi_bytes_retrans) + sizeof(std::uint64_t)) return;  // old kernel
    const char* info = static_cast<const char*>(RTA_DATA(a));
    std::memcpy(&r.bytes_received, info + offsetof(tcp_info, tcpi_bytes_received), 8);
    std::memcpy(&r.bytes_sent, info + offsetof(tcp_info, tcpi_bytes_sent), 8);
    std::memcpy(&r.bytes_retrans, info + offsetof(tcp_info, tcpi_bytes_retrans), 8);
    r.has_bytes = true;
    return;
  }
}

// One SOCK_DIAG_BY_FAMILY message (full sockets, request sockets and TIME_WAIT minisockets
// share this layout) appended to `out`, unless its state has no name in the format.
void parse_record(const nlmsghdr* h, bool with_bytes, std::vector<SocketRecord>& out) {
  const auto* m = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
  unsigned state = m->idiag_state;
  if (state == kTcpNewSynRecv) state = static_cast<unsigned>(TcpState::SYN_RECV);
  if (state < 1 || state >= kTcpStateSlots) return;
  SocketRecord& r = out.emplace_back();
  r.family = m->idiag_family;
  r.state = static_cast<TcpState>(state);
  const std::size_t address_bytes = m->idiag_family == AF_INET ? 4 : 16;
  std::memcpy(r.src.data(), m->id.idiag_src, address_bytes);
  std::memcpy(r.dst.data(), m->id.idiag_dst, address_bytes);
  r.sport = ntohs(m->id.idiag_sport);
  r.dport = ntohs(m->id.idiag_dport);
  r.cookie = static_cast<std::uint64_t>(m->id.idiag_cookie[0]) |
             (static_cast<std::uint64_t>(m->id.idiag_cookie[1]) << 32);
  r.inode = m->idiag_inode;
  r.rqueue = m->idiag_rqueue;
  r.wqueue = m->idiag_wqueue;
  r.timer = m->idiag_timer;
  r.retrans = m->idiag_retrans;
  r.expires_ms = m->idiag_expires;
  if (with_bytes) read_byte_counts(h, r);
}

}  // namespace

void SockDiag::send_request(std::uint8_t family, std::uint32_t kernel_states) {
  struct {
    nlmsghdr header;
    inet_diag_req_v2 body;
  } request{};
  request.header.nlmsg_len = sizeof request;
  request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.header.nlmsg_seq = ++seq_;
  request.body.sdiag_family = family;
  request.body.sdiag_protocol = IPPROTO_TCP;
  // Every SocketRecord field is in inet_diag_msg, except the byte counts of tcp_info.
  request.body.idiag_ext = byte_counts_ ? static_cast<std::uint8_t>(1u << (INET_DIAG_INFO - 1)) : 0;
  request.body.idiag_states = kernel_states;

  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    ssize_t sent = sendto(fd_, &request, sizeof request, 0, reinterpret_cast<sockaddr*>(&kernel),
                          sizeof kernel);
    if (sent == static_cast<ssize_t>(sizeof request)) return;
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0) fail(errno, std::string("sending the ") + family_name(family) + " dump request");
    fail(EIO, "short send of the dump request: " + std::to_string(sent) + " of " +
                  std::to_string(sizeof request) + " bytes");
  }
  fail(EINTR, "sending the dump request was interrupted 100 times in a row");
}

bool SockDiag::dump_family(std::uint8_t family, std::uint32_t state_mask,
                           std::vector<SocketRecord>& out) {
  std::uint32_t kernel_states = state_mask;
  if (state_mask & tcp_state_bit(TcpState::SYN_RECV)) kernel_states |= 1u << kTcpNewSynRecv;
  send_request(family, kernel_states);
  const std::uint32_t seq = seq_;
  const std::string where = std::string(family_name(family)) + " dump (seq " + std::to_string(seq) + ")";

  for (std::size_t chunk = 0; chunk < kMaxChunksPerDump; ++chunk) {
    // MSG_TRUNC makes recv return the datagram's real length, so a cut message is detected.
    ssize_t n = recv(fd_, buffer_.data(), buffer_.size(), MSG_TRUNC);
    if (n < 0 && errno == EINTR) continue;  // counts against the bound, harmlessly
    if (n < 0) fail(errno, "recv during the " + where);
    if (n == 0) fail(EIO, "recv returned 0 bytes during the " + where + ", expected a message");
    if (static_cast<std::size_t>(n) > buffer_.size())
      fail(EMSGSIZE, "a netlink datagram of " + std::to_string(n) + " bytes was cut to " +
                         std::to_string(buffer_.size()) + " during the " + where);

    int left = static_cast<int>(n);
    for (auto* h = reinterpret_cast<const nlmsghdr*>(buffer_.data()); NLMSG_OK(h, left);
         h = NLMSG_NEXT(h, left)) {
      // Replies to an earlier, abandoned request are not ours. (nlmsg_pid is our own port id in
      // replies, so the sequence number is what tells requests apart.)
      if (h->nlmsg_seq != seq) continue;

      if (h->nlmsg_type == NLMSG_DONE) {
        // The kernel puts the dump's final status after the header (0 on success).
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
          int status = 0;
          std::memcpy(&status, NLMSG_DATA(h), sizeof status);
          if (status < 0) fail(-status, "NLMSG_DONE reported an error ending the " + where);
        }
        return true;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr)))
          fail(EIO, "a truncated NLMSG_ERROR in the " + where);
        const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        if (e->error == 0) continue;  // an acknowledgement, not an error
        // No IPv6 in this kernel or namespace: there are simply no IPv6 sockets.
        if (family == AF_INET6 && (-e->error == ENOENT || -e->error == EAFNOSUPPORT)) return false;
        fail(-e->error, "the kernel refused the " + where);
      }
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)))
        fail(EIO, "a SOCK_DIAG_BY_FAMILY message of " + std::to_string(h->nlmsg_len) +
                      " bytes in the " + where + ", expected at least " +
                      std::to_string(NLMSG_LENGTH(sizeof(inet_diag_msg))));

      parse_record(h, byte_counts_, out);
    }
    if (left > 0)
      fail(EIO, std::to_string(left) + " trailing bytes that are not a whole netlink message in the " +
                    where);
  }
  fail(EIO, "the " + where + " did not end after " + std::to_string(kMaxChunksPerDump) + " chunks");
}

void SockDiag::drain() {
  // Each recv makes the kernel produce the next chunk of the abandoned dump; EAGAIN means the
  // dump is over and nothing is left.
  for (std::size_t chunk = 0; chunk < kMaxChunksPerDump; ++chunk) {
    ssize_t n = recv(fd_, buffer_.data(), buffer_.size(), MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
  }
  broken_ = false;
}

DestroyWatch::DestroyWatch() : buffer_(kReceiveBufferBytes) {
  fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_SOCK_DIAG);
  if (fd_ < 0) fail(errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG) for destroy notices");
  // Thousands of sockets can end between two samples: room for them all. SO_RCVBUFFORCE passes
  // net.core.rmem_max where we may (root); SO_RCVBUF is capped by it.
  int rcvbuf = 8 << 20;
  if (setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  // Joined through bind(): NETLINK_ADD_MEMBERSHIP is taken without error but, on this socket
  // family, does not make the kernel send destroy notices (seen on Linux 6.18).
  sockaddr_nl groups{};
  groups.nl_family = AF_NETLINK;
  groups.nl_groups = (1u << (SKNLGRP_INET_TCP_DESTROY - 1)) | (1u << (SKNLGRP_INET6_TCP_DESTROY - 1));
  if (bind(fd_, reinterpret_cast<sockaddr*>(&groups), sizeof groups) != 0) {
    int err = errno;
    close(fd_);
    fd_ = -1;
    fail(err, "joining sock_diag's TCP destroy groups");
  }
}

DestroyWatch::~DestroyWatch() {
  if (fd_ >= 0) close(fd_);
}

void DestroyWatch::read(std::vector<SocketRecord>& out) {
  for (;;) {
    ssize_t n = recv(fd_, buffer_.data(), buffer_.size(), MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == ENOBUFS) {  // the kernel dropped notices: counts may be short
      lost_ = true;
      continue;
    }
    if (n <= 0) return;  // EAGAIN: nothing more now
    int left = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(n), buffer_.size()));
    for (auto* h = reinterpret_cast<const nlmsghdr*>(buffer_.data()); NLMSG_OK(h, left);
         h = NLMSG_NEXT(h, left))
      if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY && h->nlmsg_len >= NLMSG_LENGTH(sizeof(inet_diag_msg)))
        parse_record(h, true, out);
  }
}

}  // namespace sockdrill
