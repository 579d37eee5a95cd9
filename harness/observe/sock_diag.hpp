// Reads the TCP sockets of the calling process's network namespace via NETLINK_SOCK_DIAG.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

#include "common/tcp_state.hpp"

struct mnl_socket;  // libmnl's, used through pointers only: users need no libmnl headers

namespace sockdrill {

struct SocketRecord {
  std::uint8_t family = 0;        // AF_INET or AF_INET6
  TcpState state = TcpState::CLOSE;
  std::array<std::uint8_t, 16> src{};  // network byte order; IPv4 uses the first 4 bytes
  std::array<std::uint8_t, 16> dst{};
  std::uint16_t sport = 0;        // host byte order
  std::uint16_t dport = 0;        // host byte order
  std::uint64_t cookie = 0;       // the kernel's socket cookie (kept into TIME_WAIT)
  std::uint32_t inode = 0;        // 0 for orphans and TIME_WAIT
  std::uint32_t ifindex = 0;      // the device the socket is bound to (idiag_if), 0 for none
  std::uint32_t rqueue = 0;       // LISTEN: accept queue length; else unread bytes
  std::uint32_t wqueue = 0;       // LISTEN: backlog; else unacknowledged bytes
  std::uint8_t timer = 0;         // idiag_timer
  std::uint8_t retrans = 0;       // idiag_retrans
  std::uint32_t expires_ms = 0;   // idiag_expires
  // With SockDiag::set_byte_counts(true), from tcp_info (full sockets only, not TIME_WAIT or
  // request sockets): data octets received (tcpi_bytes_received, which counts a FIN too) and
  // sent on the wire (tcpi_bytes_sent, retransmissions included, and tcpi_bytes_retrans).
  bool has_bytes = false;
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_retrans = 0;
  // From the same tcp_info (with has_bytes): milliseconds since this socket last sent data,
  // last received data, and last received any segment (an ACK, a FIN: for CLOSE_WAIT, since the
  // peer's FIN unless something came after it).
  std::uint32_t last_data_sent_ms = 0;
  std::uint32_t last_data_recv_ms = 0;
  std::uint32_t last_ack_recv_ms = 0;
  // tcp_info's own state (tcpi_state), read just before its byte counts. The record's `state` is
  // read earlier in the dump, so a FIN that arrives in between is in bytes_received (as one
  // byte) while `state` still says ESTABLISHED; this one is far less likely to lag.
  TcpState info_state = TcpState::CLOSE;

  std::string local_address() const;  // "127.0.0.1" / "::1"
  std::string local_text() const;   // "127.0.0.1:4000" / "[::1]:4000"
  std::string remote_text() const;
};

// Each dump walks the whole TCP established hash of the namespace, empty buckets included. A
// namespace shares the host's table (262,144 buckets on the dev machine: ~3.5 ms a dump, before
// any socket) unless it was created from a namespace whose net.ipv4.tcp_child_ehash_entries is
// set (Linux 6.1+). This sets it for the CURRENT network namespace, so namespaces created from
// it afterwards get a private table of `buckets` entries (rounded up to a power of two). Call it
// in a namespace of the harness's own, never in the host's. Throws std::system_error when the
// setting cannot be written (e.g. a kernel without it: ENOENT).
void set_child_tcp_ehash_entries(std::uint32_t buckets);

// net.ipv4.tcp_ehash_entries of the current namespace: its table's size, negative when it
// shares the host's table. Throws std::system_error when it cannot be read.
long tcp_ehash_entries();

class SockDiag {
 public:
  // Opens the netlink socket; it belongs to the namespace of the calling thread, for good. It is
  // opened without CAP_NET_ADMIN (open_without_net_admin): the kernel then leaves each record's
  // administrator-only attributes out, which nothing here reads.
  SockDiag();
  ~SockDiag();
  SockDiag(const SockDiag&) = delete;
  SockDiag& operator=(const SockDiag&) = delete;

  // Every TCP socket (IPv4 and IPv6) whose state is in `state_mask` (bits of tcp_state_bit).
  // Replaces `out`'s contents. Throws std::system_error on a netlink failure (a harness bug).
  // One walk of the table answers for both families (the legacy TCPDIAG_GETSOCK request: a
  // dump per family walks every bucket twice); a kernel that refuses it gets one per family.
  void dump(std::uint32_t state_mask, std::vector<SocketRecord>& out);

  static constexpr std::uint32_t kAllStates = 0xFFFu;

  // Appends the sockets of `which` (records of an earlier dump) that are still in the table, as
  // they are now: each looked up by its addresses, ports and cookie (listening sockets through a
  // dump of the listeners, which does not walk the connections' table). A socket whose
  // addresses a newer socket took is not found. Throws std::system_error on a netlink failure.
  void find(const std::vector<SocketRecord>& which, std::vector<SocketRecord>& out);

  // The bytes of the datagrams the last dump() received (its records and the closing message).
  std::uint64_t dump_bytes() const { return dump_bytes_; }

  // Whether dumps walk the table once for both families (false once the kernel refused that).
  bool walks_once() const { return one_walk_; }

  // Whether dumps also ask for tcp_info (INET_DIAG_INFO), for the byte counts of sockets whose
  // program sockdrill does not run itself (command peers). Off by default: it costs ~230 bytes
  // a socket.
  void set_byte_counts(bool on) { byte_counts_ = on; }
  bool byte_counts() const { return byte_counts_; }

  // For tests: runs after each chunk of a dump that more chunks follow, so that a test can change
  // the table midway through a dump as other processes do.
  void set_between_chunks(std::function<void()> hook) { between_chunks_ = std::move(hook); }

 private:
  // Appends the sockets of one walk to `out`: of both families, or of `family` only (none when
  // the kernel has no such family, IPv6 disabled, which is not an error).
  void dump_walk(std::uint8_t family, bool both_families, std::uint32_t state_mask,
                 std::vector<SocketRecord>& out);
  // Reads away what is left of a dump that a throw abandoned, so the next request is answered.
  void drain();
  // find() for sockets that are not listening: one exact request each, sent in batches.
  void look_up(const std::vector<const SocketRecord*>& which, std::vector<SocketRecord>& out);
  mnl_socket* socket_ = nullptr;
  bool byte_counts_ = false;
  bool one_walk_ = true;  // until the kernel refuses the legacy request
  bool broken_ = false;  // a dump threw midway; its remaining messages may still be queued
  std::uint32_t seq_ = 0;
  std::uint64_t dump_bytes_ = 0;
  std::vector<char> buffer_;  // one receive buffer reused by every dump (no per-dump allocation)
  std::function<void()> between_chunks_;
};

// The kernel's notice of every TCP socket it frees in this namespace (sock_diag's destroy
// groups), with the socket's final tcp_info: byte counts of a connection that lived and ended
// between two samples, or moved data after the last one. Joining the groups makes the kernel
// send them; a case without command peers does not need it.
class DestroyWatch {
 public:
  // Thousands of sockets can end between two samples: room for them all by default. (A test
  // gives a small buffer to make the kernel drop notices.)
  static constexpr int kDefaultReceiveBufferBytes = 8 << 20;
  // Throws std::system_error when the groups cannot be joined.
  explicit DestroyWatch(int receive_buffer_bytes = kDefaultReceiveBufferBytes);
  ~DestroyWatch();
  DestroyWatch(const DestroyWatch&) = delete;
  DestroyWatch& operator=(const DestroyWatch&) = delete;
  // Appends a record (state CLOSE, inode 0, byte counts) per socket freed since the last call.
  // Never throws: a notice it cannot read counts as lost.
  void read(std::vector<SocketRecord>& out);
  // Whether notices were lost (the kernel's buffer for them was full, ENOBUFS, or one could not
  // be parsed): byte counts may then be short.
  bool lost() const { return lost_; }

 private:
  mnl_socket* socket_ = nullptr;
  bool lost_ = false;
  std::vector<char> buffer_;
};

}  // namespace sockdrill
