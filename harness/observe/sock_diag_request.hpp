// A bare NETLINK_SOCK_DIAG dump request for one family's TCP sockets, for code that speaks netlink without libmnl.
#pragma once
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <cstdint>

namespace sockdrill {

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
  request.header.nlmsg_len = sizeof request;
  request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.header.nlmsg_seq = seq;
  request.body.sdiag_family = family;
  request.body.sdiag_protocol = IPPROTO_TCP;
  request.body.idiag_states = states;
  request.body.idiag_ext = extensions;
  return request;
}

}  // namespace sockdrill
