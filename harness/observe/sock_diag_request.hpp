// The NETLINK_SOCK_DIAG requests for TCP sockets, as whole messages: SockDiag sends them, and so
// do the benchmark and the seed capture (dumps), which speak netlink without libmnl.
#pragma once
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>

#include "harness/observe/sock_diag.hpp"

namespace sockdrill {

// The header of a dump request of `bytes` bytes in all.
inline nlmsghdr dump_header(std::uint16_t type, std::uint32_t bytes, std::uint32_t seq) {
  nlmsghdr header{};
  header.nlmsg_len = bytes;
  header.nlmsg_type = type;
  header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  header.nlmsg_seq = seq;
  return header;
}

// One whole request message: send() it as it is, sizeof(TcpDumpRequest) bytes.
struct TcpDumpRequest {
  nlmsghdr header;
  inet_diag_req_v2 body;
};

// A dump of the TCP sockets of `family` whose state's bit is in `states`, with the attributes
// `extensions` asks for (bit INET_DIAG_X - 1 for each).
inline TcpDumpRequest tcp_dump_request(std::uint8_t family, std::uint32_t states, std::uint32_t seq,
                                       std::uint8_t extensions = 0) {
  TcpDumpRequest request{};
  request.header = dump_header(SOCK_DIAG_BY_FAMILY, sizeof request, seq);
  request.body.sdiag_family = family;
  request.body.sdiag_protocol = IPPROTO_TCP;
  request.body.idiag_states = states;
  request.body.idiag_ext = extensions;
  return request;
}

// The legacy request (TCPDIAG_GETSOCK), which the kernel answers for IPv4 and IPv6 in one walk of
// its table, each record a message of that type.
struct TcpBothFamiliesDumpRequest {
  nlmsghdr header;
  inet_diag_req body;
};

inline TcpBothFamiliesDumpRequest tcp_both_families_dump_request(std::uint32_t states, std::uint32_t seq,
                                                                 std::uint8_t extensions = 0) {
  TcpBothFamiliesDumpRequest request{};
  request.header = dump_header(TCPDIAG_GETSOCK, sizeof request, seq);
  request.body.idiag_states = states;
  request.body.idiag_ext = extensions;
  return request;
}

// An exact lookup of the socket `r` describes (its addresses, ports, device and cookie), with
// NLM_F_ACK: the kernel answers with its record then an acknowledgement, or with ENOENT when no
// socket with those addresses and that cookie is in the table.
inline TcpDumpRequest tcp_lookup_request(const SocketRecord& r, std::uint32_t seq, std::uint8_t extensions = 0) {
  TcpDumpRequest request = tcp_dump_request(r.family, 0xFFFu, seq, extensions);
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  inet_diag_sockid& id = request.body.id;
  id.idiag_sport = htons(r.sport);
  id.idiag_dport = htons(r.dport);
  std::memcpy(id.idiag_src, r.src.data(), sizeof id.idiag_src);
  std::memcpy(id.idiag_dst, r.dst.data(), sizeof id.idiag_dst);
  id.idiag_if = r.ifindex;
  id.idiag_cookie[0] = static_cast<std::uint32_t>(r.cookie);
  id.idiag_cookie[1] = static_cast<std::uint32_t>(r.cookie >> 32);
  return request;
}

}  // namespace sockdrill
