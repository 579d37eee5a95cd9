// Walks one NETLINK_SOCK_DIAG datagram with libmnl's iterators, bounds-checked, into SocketRecords.
#include "harness/observe/sock_diag_parse.hpp"

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstring>
#include <optional>

namespace sockdrill {
namespace {

using End = ChunkResult::End;

// The kernel's largest errno (MAX_ERRNO): a status below its negation names no errno.
constexpr int kMaxErrno = 4095;
// tcp_info up to tcpi_bytes_retrans (Linux 4.19); an older kernel's is shorter.
constexpr std::size_t kInfoWithByteCounts = offsetof(tcp_info, tcpi_bytes_retrans) + sizeof(std::uint64_t);
// libmnl counts the bytes left in an int; a datagram is at most 64 KiB anyway.
constexpr std::size_t kMaxChunkBytes = INT_MAX / 2;

ChunkResult ended(End end) {
  ChunkResult result;
  result.end = end;
  return result;
}
ChunkResult failed(int err, std::string message) { return {End::error, err, std::move(message)}; }

// Where a message sits, for messages: "the AF_INET dump (seq 3), message at byte 40 of 120".
struct Site {
  const ChunkContext& ctx;
  std::size_t at;
  std::size_t len;
  std::string text() const {
    return "the " + request_text(ctx) + ", message at byte " + std::to_string(at) + " of " +
           std::to_string(len);
  }
};

// A kernel status (negative errno) as an errno; one that names none (INT_MIN, say) is EIO.
// Negating such a status could overflow: the range is checked first.
bool names_errno(int status) { return status < 0 && status >= -kMaxErrno; }
int errno_of(int status) { return names_errno(status) ? -status : EIO; }

std::string status_text(int status) {
  return std::to_string(status) + (names_errno(status) ? "" : " (not an errno)");
}

// NLMSG_DONE carries the dump's final status after its header (0 on success).
ChunkResult on_done(const nlmsghdr* h, const Site& site) {
  int status = 0;
  if (mnl_nlmsg_get_payload_len(h) >= sizeof status)
    std::memcpy(&status, mnl_nlmsg_get_payload(h), sizeof status);
  if (status >= 0) return ended(End::done);
  return failed(errno_of(status), "NLMSG_DONE with status " + status_text(status) +
                                      ", expected 0, ended " + site.text());
}

// NLMSG_ERROR's status into `error` (0: an acknowledgement); a failure when it is truncated.
std::optional<ChunkResult> read_error(const nlmsghdr* h, const Site& site, int& error) {
  if (mnl_nlmsg_get_payload_len(h) < sizeof(nlmsgerr))
    return failed(EIO, "a truncated NLMSG_ERROR of " + std::to_string(h->nlmsg_len) +
                           " bytes, expected at least " + std::to_string(MNL_NLMSG_HDRLEN + sizeof(nlmsgerr)) +
                           ", in " + site.text());
  std::memcpy(&error, mnl_nlmsg_get_payload(h), sizeof error);
  return std::nullopt;
}

// NLMSG_ERROR: 0 is an acknowledgement (nullopt: carry on); anything else ends the chunk.
std::optional<ChunkResult> on_error(const nlmsghdr* h, const Site& site) {
  int error = 0;
  if (std::optional<ChunkResult> truncated = read_error(h, site, error)) return truncated;
  if (error == 0) return std::nullopt;
  // No IPv6 in this kernel or namespace: there are simply no IPv6 sockets.
  if (site.ctx.family == AF_INET6 && (error == -ENOENT || error == -EAFNOSUPPORT))
    return ended(End::done);
  return failed(errno_of(error), "the kernel refused " + site.text() + ": NLMSG_ERROR " +
                                     status_text(error) + ", expected socket records");
}

// INET_DIAG_INFO's tcp_info byte counts and times, when the kernel attached it (full sockets only).
int take_byte_counts(const nlattr* attr, void* data) {
  if (mnl_attr_get_type(attr) != INET_DIAG_INFO) return MNL_CB_OK;
  if (mnl_attr_get_payload_len(attr) < kInfoWithByteCounts) return MNL_CB_STOP;  // older kernel
  auto& r = *static_cast<SocketRecord*>(data);
  const char* info = static_cast<const char*>(mnl_attr_get_payload(attr));
  std::memcpy(&r.bytes_received, info + offsetof(tcp_info, tcpi_bytes_received), 8);
  std::memcpy(&r.bytes_sent, info + offsetof(tcp_info, tcpi_bytes_sent), 8);
  std::memcpy(&r.bytes_retrans, info + offsetof(tcp_info, tcpi_bytes_retrans), 8);
  std::memcpy(&r.last_data_sent_ms, info + offsetof(tcp_info, tcpi_last_data_sent), 4);
  std::memcpy(&r.last_data_recv_ms, info + offsetof(tcp_info, tcpi_last_data_recv), 4);
  std::memcpy(&r.last_ack_recv_ms, info + offsetof(tcp_info, tcpi_last_ack_recv), 4);
  std::uint8_t state = 0;
  std::memcpy(&state, info + offsetof(tcp_info, tcpi_state), 1);
  r.info_state = state >= 1 && state < kTcpStateSlots ? static_cast<TcpState>(state) : r.state;
  r.has_bytes = true;
  return MNL_CB_STOP;
}

// One SOCK_DIAG_BY_FAMILY message (full sockets, request sockets and TIME_WAIT minisockets
// share this layout), appended unless its state has no name in the format.
std::optional<ChunkResult> on_record(const nlmsghdr* h, const Site& site,
                                     std::vector<SocketRecord>& out) {
  const std::size_t have = mnl_nlmsg_get_payload_len(h);
  if (have < sizeof(inet_diag_msg))
    return failed(EIO, std::string(site.ctx.both_families ? "a TCPDIAG_GETSOCK" : "a SOCK_DIAG_BY_FAMILY") +
                           " message of " + std::to_string(h->nlmsg_len) +
                           " bytes, expected at least " +
                           std::to_string(MNL_NLMSG_HDRLEN + sizeof(inet_diag_msg)) + ", in " + site.text());
  const auto* m = static_cast<const inet_diag_msg*>(mnl_nlmsg_get_payload(h));
  if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
    return failed(EIO, "a socket of family " + std::to_string(m->idiag_family) + ", expected AF_INET (" +
                           std::to_string(AF_INET) + ") or AF_INET6 (" + std::to_string(AF_INET6) +
                           "), in " + site.text());
  unsigned state = m->idiag_state;
  if (state == kTcpNewSynRecv) state = static_cast<unsigned>(TcpState::SYN_RECV);
  if (state < 1 || state >= kTcpStateSlots) return std::nullopt;

  SocketRecord& r = out.emplace_back();
  r.family = m->idiag_family;
  r.state = static_cast<TcpState>(state);
  const std::size_t address_bytes = r.family == AF_INET ? 4 : 16;
  std::memcpy(r.src.data(), m->id.idiag_src, address_bytes);
  std::memcpy(r.dst.data(), m->id.idiag_dst, address_bytes);
  r.sport = ntohs(m->id.idiag_sport);
  r.dport = ntohs(m->id.idiag_dport);
  r.cookie = static_cast<std::uint64_t>(m->id.idiag_cookie[0]) |
             (static_cast<std::uint64_t>(m->id.idiag_cookie[1]) << 32);
  r.inode = m->idiag_inode;
  r.ifindex = m->id.idiag_if;
  r.rqueue = m->idiag_rqueue;
  r.wqueue = m->idiag_wqueue;
  r.timer = m->idiag_timer;
  r.retrans = m->idiag_retrans;
  r.expires_ms = m->idiag_expires;
  // The attributes end where the message does: mnl_attr_parse would walk to the ALIGNED end,
  // up to 3 bytes past an unpadded last message, so the exact length is given instead.
  if (site.ctx.byte_counts)
    mnl_attr_parse_payload(m + 1, have - sizeof *m, take_byte_counts, &r);
  return std::nullopt;
}

// Whether a whole message starts at h. libmnl 1.0.4's mnl_nlmsg_ok compares nlmsg_len as an
// int, so a length above INT_MAX passes it; the unsigned comparison closes that (1.0.5 does too).
bool whole_message(const nlmsghdr* h, int left) {
  return mnl_nlmsg_ok(h, left) && h->nlmsg_len <= static_cast<unsigned>(left);
}

// Why the bytes from `at` on are not a whole message.
ChunkResult malformed_tail(const char* base, std::size_t at, std::size_t len, const ChunkContext& ctx) {
  const Site site{ctx, at, len};
  const std::size_t left = len - at;
  if (left < sizeof(nlmsghdr))
    return failed(EIO, std::to_string(left) + " trailing bytes, expected a whole netlink message, in " +
                           site.text());
  nlmsghdr h;
  std::memcpy(&h, base + at, sizeof h);
  if (h.nlmsg_len < sizeof(nlmsghdr))
    return failed(EIO, "a netlink message claiming " + std::to_string(h.nlmsg_len) +
                           " bytes, expected at least " + std::to_string(sizeof(nlmsghdr)) + ", in " +
                           site.text());
  return failed(EIO, "a netlink message of " + std::to_string(h.nlmsg_len) + " bytes cut after " +
                         std::to_string(left) + ", in " + site.text());
}

// Why a datagram cannot be walked at all (misaligned, too long for libmnl's int), if it cannot.
std::optional<ChunkResult> unfit_datagram(const void* data, std::size_t len, const ChunkContext& ctx) {
  const Site whole{ctx, 0, len};
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(nlmsghdr) != 0)
    return failed(EINVAL, "a datagram at a misaligned address, expected " +
                              std::to_string(alignof(nlmsghdr)) + "-byte alignment, in " + whole.text());
  if (len > kMaxChunkBytes)
    return failed(EMSGSIZE, "a datagram of " + std::to_string(len) + " bytes, expected at most " +
                                std::to_string(kMaxChunkBytes) + ", in " + whole.text());
  return std::nullopt;
}

}  // namespace

std::string request_text(const ChunkContext& ctx) {
  if (ctx.lookups > 0)
    return "exact lookups (seq " + std::to_string(ctx.seq) + " to " +
           std::to_string(ctx.seq + ctx.lookups - 1) + ")";
  if (ctx.both_families) return "AF_INET+AF_INET6 dump (seq " + std::to_string(ctx.seq) + ")";
  if (ctx.family == AF_UNSPEC) return "destroy notices";
  return std::string(ctx.family == AF_INET ? "AF_INET" : "AF_INET6") + " dump (seq " +
         std::to_string(ctx.seq) + ")";
}

ChunkResult parse_chunk(const void* data, std::size_t len, const ChunkContext& ctx,
                        std::vector<SocketRecord>& out) {
  if (std::optional<ChunkResult> unfit = unfit_datagram(data, len, ctx)) return *unfit;
  const char* base = static_cast<const char*>(data);
  int left = static_cast<int>(len);
  for (auto* h = static_cast<const nlmsghdr*>(data); whole_message(h, left); h = mnl_nlmsg_next(h, &left)) {
    const Site site{ctx, static_cast<std::size_t>(reinterpret_cast<const char*>(h) - base), len};
    // Replies to an earlier, abandoned request are not ours. (mnl_nlmsg_seq_ok would also take
    // a message of sequence number 0 as ours.)
    if (h->nlmsg_seq != ctx.seq) continue;
    std::optional<ChunkResult> end;
    switch (h->nlmsg_type) {
      case NLMSG_DONE: return on_done(h, site);
      case NLMSG_ERROR: end = on_error(h, site); break;
      case SOCK_DIAG_BY_FAMILY:
        if (!ctx.both_families) end = on_record(h, site, out);
        break;
      case TCPDIAG_GETSOCK:
        if (ctx.both_families) end = on_record(h, site, out);
        break;
      default: break;  // NLMSG_NOOP and the like
    }
    if (end) return *end;
  }
  // The last message may lack its padding: then `left` ends below 0, which is not garbage.
  if (left > 0) return malformed_tail(base, len - static_cast<std::size_t>(left), len, ctx);
  return ended(End::more);
}

ChunkResult parse_lookup_replies(const void* data, std::size_t len, const ChunkContext& ctx,
                                 std::vector<SocketRecord>& out, std::size_t& answered) {
  if (std::optional<ChunkResult> unfit = unfit_datagram(data, len, ctx)) return *unfit;
  const char* base = static_cast<const char*>(data);
  int left = static_cast<int>(len);
  for (auto* h = static_cast<const nlmsghdr*>(data); whole_message(h, left); h = mnl_nlmsg_next(h, &left)) {
    // Unsigned: a sequence number below ctx.seq wraps far above the range.
    if (h->nlmsg_seq - ctx.seq >= ctx.lookups) continue;
    const Site site{ctx, static_cast<std::size_t>(reinterpret_cast<const char*>(h) - base), len};
    if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
      if (std::optional<ChunkResult> end = on_record(h, site, out)) return *end;
    } else if (h->nlmsg_type == NLMSG_ERROR) {
      int error = 0;
      if (std::optional<ChunkResult> truncated = read_error(h, site, error)) return *truncated;
      if (error != 0 && error != -ENOENT && error != -ESTALE)
        return failed(errno_of(error), "the kernel refused " + site.text() + ": NLMSG_ERROR " +
                                           status_text(error) + ", expected a record, 0 or ENOENT");
      ++answered;
    }
  }
  if (left > 0) return malformed_tail(base, len - static_cast<std::size_t>(left), len, ctx);
  return ended(End::more);
}

}  // namespace sockdrill
