// Folding sockets into groups for a snapshot.
#include "harness/field/socket_groups.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>

#include "common/socket_leak.hpp"

namespace sockdrill::field {
namespace {

std::string address_text(std::uint8_t family, const std::array<std::uint8_t, 16>& address) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, address.data(), text, sizeof text);
  return text;
}

const char* timer_name(std::uint8_t timer) {
  switch (timer) {
    case 1: return "retransmit";
    case 2: return "keepalive";
    case 3: return "time_wait";
    case 4: return "zero_window_probe";
    default: return nullptr;
  }
}

void keep_min(std::optional<std::uint32_t>& slot, std::uint32_t v) {
  if (!slot || v < *slot) slot = v;
}
void keep_max(std::optional<std::uint32_t>& slot, std::uint32_t v) {
  if (!slot || v > *slot) slot = v;
}

}  // namespace

std::string endpoint_text(std::uint8_t family, const std::array<std::uint8_t, 16>& address, int port) {
  const std::string host = address_text(family, address);
  const std::string port_text = port < 0 ? "*" : std::to_string(port);
  return family == AF_INET6 ? "[" + host + "]:" + port_text : host + ":" + port_text;
}

namespace {

bool wildcard_address(const SocketRecord& s) {
  const std::size_t n = s.family == AF_INET6 ? 16 : 4;
  for (std::size_t i = 0; i < n; ++i)
    if (s.src[i] != 0) return false;
  return true;
}

std::string packed_endpoint(const SocketRecord& s) {
  std::string key(reinterpret_cast<const char*>(s.src.data()), s.family == AF_INET6 ? 16 : 4);
  key += static_cast<char>(s.family);
  key += static_cast<char>(s.sport >> 8);
  key += static_cast<char>(s.sport & 0xFF);
  return key;
}

}  // namespace

ListeningPorts::ListeningPorts(const std::vector<SocketRecord>& sockets) {
  for (const SocketRecord& s : sockets) {
    if (s.state != TcpState::LISTEN) continue;
    if (wildcard_address(s)) wildcard_.insert(s.sport);
    else exact_.insert(packed_endpoint(s));
  }
}

bool ListeningPorts::serves(const SocketRecord& socket) const {
  if (wildcard_.count(socket.sport)) return true;
  return !exact_.empty() && exact_.count(packed_endpoint(socket)) > 0;
}

void GroupBuilder::add(const SocketRecord& s, bool server_side) {
  const bool listener = s.state == TcpState::LISTEN;
  const std::size_t n = s.family == AF_INET6 ? 16 : 4;
  key_.assign(1, static_cast<char>(s.state));
  key_ += static_cast<char>(s.family);
  key_ += static_cast<char>(listener ? 0 : server_side ? 1 : 2);
  key_.append(reinterpret_cast<const char*>(s.src.data()), n);
  if (!listener) key_.append(reinterpret_cast<const char*>(s.dst.data()), n);
  const std::uint16_t kept = listener || server_side ? s.sport : s.dport;
  key_ += static_cast<char>(kept >> 8);
  key_ += static_cast<char>(kept & 0xFF);
  SocketGroup& g = groups_[key_];
  if (g.count == 0) {
    g.state = s.state;
    if (listener) {
      g.local = endpoint_text(s.family, s.src, s.sport);
      g.remote = "*:*";
    } else if (server_side) {
      g.local = endpoint_text(s.family, s.src, s.sport);
      g.remote = endpoint_text(s.family, s.dst, -1);
    } else {
      g.local = endpoint_text(s.family, s.src, -1);
      g.remote = endpoint_text(s.family, s.dst, s.dport);
    }
  }
  ++g.count;
  const std::uint32_t unread = s.state == TcpState::LISTEN ? s.rqueue : unread_data_bytes(s.state, s.rqueue);
  g.recv_q += unread;
  g.recv_q_max = std::max(g.recv_q_max, unread);
  if (unread > 0) ++g.with_unread;
  if (unread > 0 && s.has_bytes && s.state != TcpState::LISTEN) {
    keep_min(g.unread_for_ms_min, s.last_data_recv_ms);
    keep_max(g.unread_for_ms_max, s.last_data_recv_ms);
  }
  if (s.state != TcpState::LISTEN) {
    const std::uint32_t unacked = unacked_data_bytes(s.state, s.wqueue);
    g.send_q += unacked;
    if (unacked > 0) ++g.with_unsent;
  }
  // A socket still in SYN_SENT never heard from its peer: tcp_info's times are since boot there.
  if (s.has_bytes && s.state != TcpState::LISTEN && s.state != TcpState::SYN_SENT) {
    keep_min(g.quiet_ms_min, s.last_ack_recv_ms);
    keep_max(g.quiet_ms_max, s.last_ack_recv_ms);
    keep_max(g.idle_ms_max, std::min(s.last_data_recv_ms, s.last_data_sent_ms));
  }
  if (const char* timer = timer_name(s.timer)) {
    ++g.timers[timer];
    keep_max(g.expires_ms_max, s.expires_ms);
  }
}

std::vector<SocketGroup> GroupBuilder::take() {
  std::vector<SocketGroup> out;
  out.reserve(groups_.size());
  for (auto& [key, group] : groups_) out.push_back(std::move(group));
  groups_.clear();
  std::sort(out.begin(), out.end(), [](const SocketGroup& a, const SocketGroup& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.state != b.state) return a.state < b.state;
    if (a.local != b.local) return a.local < b.local;
    return a.remote < b.remote;
  });
  return out;
}

}  // namespace sockdrill::field
