// guard's leak rule over successive CLOSE_WAIT samples.
#include "harness/guard/close_wait_tracker.hpp"

#include "harness/observe/socket_leak_of.hpp"

namespace sockdrill::guard {

std::vector<std::uint32_t> CloseWaitTracker::sample(double now_ms,
                                                    const std::vector<SocketRecord>& close_wait) {
  ++samples_;
  candidates_.clear();
  std::vector<std::uint32_t> candidates;
  for (const SocketRecord& r : close_wait) {
    // An orphan (inode 0) has been closed already: the kernel ends it, no program holds it.
    if (r.state != TcpState::CLOSE_WAIT || r.inode == 0) continue;
    auto [it, fresh] = by_cookie_.try_emplace(r.cookie);
    Tracked& t = it->second;
    if (fresh) t.first_ms = now_ms;
    t.seen_in_sample = samples_;
    if (t.leak >= 0) {
      SocketLeak& leak = leaks_[static_cast<std::size_t>(t.leak)];
      leak.held_ms = now_ms - t.first_ms;
      leak.recv_q = unread_data_bytes(r.state, r.rqueue);
      leak.send_q = r.wqueue;
      continue;
    }
    if (now_ms - t.first_ms < settle_ms_) continue;
    // A candidate: its holder decides (held_by fills it in). Noted with what the leak would say.
    SocketLeak leak = socket_leak_of(r, LeakKind::close_wait, 0, -1, {});
    leak.since_ms = t.first_ms;
    leak.held_ms = now_ms - t.first_ms;
    candidates_.insert_or_assign(r.inode, Candidate{r.cookie, std::move(leak)});
    candidates.push_back(r.inode);
  }
  std::erase_if(by_cookie_, [&](const auto& entry) {
    return entry.second.seen_in_sample != samples_;
  });
  return candidates;
}

void CloseWaitTracker::held_by(std::uint32_t inode, const Holder& holder) {
  auto candidate = candidates_.find(inode);
  if (candidate == candidates_.end()) return;
  auto tracked = by_cookie_.find(candidate->second.cookie);
  if (tracked == by_cookie_.end() || tracked->second.leak >= 0) return;
  SocketLeak leak = std::move(candidate->second.leak);
  candidates_.erase(candidate);
  leak.pid = holder.pid;
  leak.fd = holder.fd;
  leak.cmdline = holder.cmdline;
  tracked->second.leak = static_cast<int>(leaks_.size());
  leaks_.push_back(std::move(leak));
}

}  // namespace sockdrill::guard
