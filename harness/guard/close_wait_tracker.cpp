// guard's leak rule over successive CLOSE_WAIT samples.
#include "harness/guard/close_wait_tracker.hpp"

namespace sockdrill::guard {

std::vector<std::uint32_t> CloseWaitTracker::sample(double now_ms,
                                                    const std::vector<SocketRecord>& close_wait) {
  ++samples_;
  cookie_of_inode_.clear();
  pending_.clear();
  std::vector<std::uint32_t> candidates;
  for (const SocketRecord& r : close_wait) {
    // An orphan (inode 0) has been closed already: the kernel ends it, no program holds it.
    if (r.state != TcpState::CLOSE_WAIT || r.inode == 0) continue;
    auto [it, fresh] = by_cookie_.try_emplace(r.cookie);
    Tracked& t = it->second;
    if (fresh) t.first_ms = now_ms, t.inode = r.inode;
    t.last_ms = now_ms;
    t.seen_in_sample = samples_;
    if (t.leak >= 0) {
      SocketLeak& leak = leaks_[static_cast<std::size_t>(t.leak)];
      leak.held_ms = now_ms - t.first_ms;
      leak.recv_q = unread_data_bytes(r.state, r.rqueue);
      leak.send_q = r.wqueue;
      continue;
    }
    if (now_ms - t.first_ms < settle_ms_) continue;
    // A candidate: its holder decides. Noted with what the leak would say.
    SocketLeak leak;
    leak.kind = LeakKind::close_wait;
    leak.state = TcpState::CLOSE_WAIT;
    leak.local = r.local_text();
    leak.remote = r.remote_text();
    leak.recv_q = unread_data_bytes(r.state, r.rqueue);
    leak.send_q = r.wqueue;
    leak.since_ms = t.first_ms;
    leak.held_ms = now_ms - t.first_ms;
    pending_.insert_or_assign(r.inode, std::move(leak));
    cookie_of_inode_[r.inode] = r.cookie;
    candidates.push_back(r.inode);
  }
  std::erase_if(by_cookie_, [&](const auto& entry) {
    return entry.second.seen_in_sample != samples_;
  });
  return candidates;
}

void CloseWaitTracker::held_by(std::uint32_t inode, const Holder& holder) {
  auto cookie = cookie_of_inode_.find(inode);
  auto pending = pending_.find(inode);
  if (cookie == cookie_of_inode_.end() || pending == pending_.end()) return;
  auto tracked = by_cookie_.find(cookie->second);
  if (tracked == by_cookie_.end() || tracked->second.leak >= 0) return;
  SocketLeak leak = std::move(pending->second);
  pending_.erase(pending);
  leak.pid = holder.pid;
  leak.fd = holder.fd;
  leak.cmdline = holder.cmdline;
  tracked->second.leak = static_cast<int>(leaks_.size());
  leaks_.push_back(std::move(leak));
}

}  // namespace sockdrill::guard
