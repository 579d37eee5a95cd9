// Bytes moved by `command` peers, as the kernel counts them on their sockets (tcp_info).
#include "harness/observe/command_bytes.hpp"

#include <algorithm>

namespace sockdrill {

void CommandBytes::take(const SocketRecord& r, bool freed, Attribution& attribution,
                        const std::vector<bool>& is_command) {
  if (!r.has_bytes) return;
  const int owner = attribution.owner(r);
  if (owner < 0 || static_cast<std::size_t>(owner) >= is_command.size() || !is_command[owner]) return;
  // tcpi_bytes_received counts a received FIN as one byte. A live socket's state says whether it
  // got one; a freed socket (state CLOSE) is taken to have ended with the peer's FIN, as a
  // connection that was not reset does. Both states (the dump's and tcp_info's) are read before
  // tcp_info takes the socket's lock, and a FIN queued while the program held that lock (in a
  // recv()) is counted before the counts are read: so a read can count the FIN as data once.
  // The next read shows the state after the FIN and corrects it, which is why the received
  // count is the latest read's, not the largest.
  auto after_fin = [](TcpState s) {
    return s == TcpState::CLOSE_WAIT || s == TcpState::LAST_ACK || s == TcpState::CLOSING || s == TcpState::TIME_WAIT;
  };
  const bool fin_received = freed || after_fin(r.state) || after_fin(r.info_state);
  const auto received = static_cast<std::int64_t>(r.bytes_received) - (fin_received ? 1 : 0);
  // Data sent on the wire, without retransmissions.
  const auto sent = static_cast<std::int64_t>(r.bytes_sent - std::min(r.bytes_retrans, r.bytes_sent));
  auto& known = by_cookie_[r.cookie];
  known = {owner, std::max(known.sent, sent), std::max(received, std::int64_t{0})};
}

std::vector<ByteGrowth> CommandBytes::update(const std::vector<SocketRecord>& live,
                                             const std::vector<SocketRecord>& freed,
                                             Attribution& attribution,
                                             const std::vector<bool>& is_command) {
  for (auto& r : live) take(r, false, attribution, is_command);
  for (auto& r : freed) take(r, true, attribution, is_command);
  counted_.resize(is_command.size());
  std::vector<std::pair<std::int64_t, std::int64_t>> totals(is_command.size());
  for (auto& [cookie, b] : by_cookie_) {
    totals[static_cast<std::size_t>(b.peer)].first += b.sent;
    totals[static_cast<std::size_t>(b.peer)].second += b.received;
  }
  std::vector<ByteGrowth> grown;
  for (std::size_t i = 0; i < totals.size(); ++i) {
    // Sent counts only grow; a received count falls by one when a FIN counted as data by the
    // previous read is corrected (above).
    ByteGrowth g{static_cast<int>(i), std::max<std::int64_t>(0, totals[i].first - counted_[i].first),
                 totals[i].second - counted_[i].second};
    counted_[i] = {std::max(counted_[i].first, totals[i].first), totals[i].second};
    if (g.sent != 0 || g.received != 0) grown.push_back(g);
  }
  return grown;
}

}  // namespace sockdrill
