// Test-only: builds NETLINK_SOCK_DIAG datagrams message by message, malformed ones included,
// and hands them to the parser.
#pragma once
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/observe/sock_diag_parse.hpp"

namespace sockdrill::testing {

class NetlinkDatagram {
 public:
  // A SOCK_DIAG_BY_FAMILY message (or one of `type`: TCPDIAG_GETSOCK answers the legacy
  // request); the returned body may be adjusted until the next message.
  inet_diag_msg& record(std::uint32_t seq, std::uint8_t family, std::uint8_t state,
                        std::uint16_t sport = 4000, std::uint16_t type = SOCK_DIAG_BY_FAMILY) {
    nlmsghdr* h = start(seq, type);
    auto* m = static_cast<inet_diag_msg*>(mnl_nlmsg_put_extra_header(h, sizeof(inet_diag_msg)));
    m->idiag_family = family;
    m->idiag_state = state;
    m->id.idiag_sport = htons(sport);
    finish();
    return *m;
  }
  // INET_DIAG_INFO of `info_bytes` bytes of tcp_info (its own state `state`), appended to the
  // last message.
  void info(std::size_t info_bytes, std::uint64_t received, std::uint64_t sent, std::uint64_t retrans,
            std::uint8_t state = 1) {
    tcp_info info{};
    info.tcpi_state = state;
    info.tcpi_bytes_received = received;
    info.tcpi_bytes_sent = sent;
    info.tcpi_bytes_retrans = retrans;
    mnl_attr_put(last(), INET_DIAG_INFO, info_bytes, &info);
    finish();
  }
  // NLMSG_ERROR carrying `error` (a negative errno, or 0 for an acknowledgement).
  void error(std::uint32_t seq, int error) { status(seq, NLMSG_ERROR, error, sizeof(nlmsgerr)); }
  // NLMSG_DONE carrying the dump's final status.
  void done(std::uint32_t seq, int status_value) { status(seq, NLMSG_DONE, status_value, sizeof(int)); }
  // A message of `type` whose payload is `payload_bytes` of zeros.
  void message(std::uint32_t seq, std::uint16_t type, std::size_t payload_bytes) {
    nlmsghdr* h = start(seq, type);
    mnl_nlmsg_put_extra_header(h, payload_bytes);
    finish();
  }
  // Bytes after the messages that do not make one.
  void garbage(const std::vector<std::uint8_t>& bytes) {
    std::memcpy(bytes_ + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  // A header alone that claims `nlmsg_len` bytes.
  void header_claiming(std::uint32_t nlmsg_len, std::uint16_t type = SOCK_DIAG_BY_FAMILY) {
    nlmsghdr h{nlmsg_len, type, 0, 0, 0};
    std::memcpy(bytes_ + size_, &h, sizeof h);
    size_ += sizeof h;
  }
  nlmsghdr* last() { return reinterpret_cast<nlmsghdr*>(bytes_ + last_); }
  void cut(std::size_t n) { size_ -= n; }  // as if the datagram ended earlier
  const void* data() const { return bytes_; }
  std::size_t size() const { return size_; }

 private:
  nlmsghdr* start(std::uint32_t seq, std::uint16_t type) {
    last_ = size_;
    nlmsghdr* h = mnl_nlmsg_put_header(bytes_ + size_);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_MULTI;
    h->nlmsg_seq = seq;
    return h;
  }
  void finish() { size_ = last_ + MNL_ALIGN(last()->nlmsg_len); }
  void status(std::uint32_t seq, std::uint16_t type, int value, std::size_t payload_bytes) {
    nlmsghdr* h = start(seq, type);
    void* payload = mnl_nlmsg_put_extra_header(h, payload_bytes);
    std::memcpy(payload, &value, sizeof value);
    finish();
  }

  alignas(nlmsghdr) unsigned char bytes_[16 * 1024] = {};
  std::size_t size_ = 0;
  std::size_t last_ = 0;
};

// The request the crafted chunks answer, unless a test says otherwise.
inline constexpr std::uint32_t kSeq = 7;
inline const ChunkContext kV4{kSeq, AF_INET, false};
inline const ChunkContext kV6{kSeq, AF_INET6, false};

inline ChunkResult parse(const NetlinkDatagram& d, const ChunkContext& ctx, std::vector<SocketRecord>& out) {
  return parse_chunk(d.data(), d.size(), ctx, out);
}

// Whether parsing `d` ends in error `err` with a message that contains `fragment`.
inline ::testing::AssertionResult ends_in_error(const NetlinkDatagram& d, const ChunkContext& ctx,
                                                std::vector<SocketRecord>& out, int err,
                                                const std::string& fragment) {
  const ChunkResult r = parse(d, ctx, out);
  if (r.end != ChunkResult::End::error)
    return ::testing::AssertionFailure() << "the chunk did not end in an error: " << r.message;
  if (r.error != err)
    return ::testing::AssertionFailure() << "errno " << r.error << ", expected " << err << ": " << r.message;
  if (r.message.find(fragment) == std::string::npos)
    return ::testing::AssertionFailure() << "\"" << r.message << "\" does not say \"" << fragment << "\"";
  return ::testing::AssertionSuccess();
}

}  // namespace sockdrill::testing
