// Counting queue-filtered sockets and counter increases for expectations.
#include "harness/run/runner_counts.hpp"

#include "common/socket_leak.hpp"
#include "common/tcp_counters.hpp"

namespace sockdrill {

RunnerCounts::RunnerCounts(const CaseSpec& spec) : expectations_(spec.expect.size()) {
  for (std::size_t i = 0; i < spec.expect.size(); ++i) {
    const Selector& s = spec.expect[i].selector;
    if (s.kind == Selector::counter) counters_.push_back({i, s.counter_name});
    if (s.kind != Selector::sockets || (!s.recv_q && !s.send_q)) continue;
    std::uint32_t states = 0;
    for (TcpState st : s.states) states |= tcp_state_bit(st);
    filtered_.push_back({i, spec.peer_index(s.peer), states, s.recv_q, s.send_q});
  }
}

std::optional<std::string> RunnerCounts::start() {
  started_ = true;
  if (counters_.empty()) return std::nullopt;
  const auto now = read_tcp_counters();
  for (Counter& c : counters_) {
    auto it = now.find(c.name);
    if (it == now.end()) return c.name;
    c.baseline = it->second;
  }
  return std::nullopt;
}

void RunnerCounts::count(const std::vector<SocketRecord>& records, const std::vector<int>& owners,
                         std::vector<std::int64_t>& out) const {
  out.assign(expectations_, -1);
  for (const Filtered& f : filtered_) {
    std::int64_t n = 0;
    for (std::size_t k = 0; k < records.size() && k < owners.size(); ++k) {
      const SocketRecord& r = records[k];
      if (owners[k] != f.peer || !(f.states & tcp_state_bit(r.state))) continue;
      if (f.recv_q && !f.recv_q->holds(unread_data_bytes(r.state, r.rqueue))) continue;
      if (f.send_q && !f.send_q->holds(unacked_data_bytes(r.state, r.wqueue))) continue;
      ++n;
    }
    out[f.expectation] = n;
  }
  if (counters_.empty() || !started_) return;
  const auto now = read_tcp_counters();
  for (const Counter& c : counters_) {
    auto it = now.find(c.name);
    if (it != now.end()) out[c.expectation] = it->second - c.baseline;
  }
}

}  // namespace sockdrill
