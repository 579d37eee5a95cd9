// Makes one sock_diag dump a faithful sample: repeats dropped, skipped sockets looked up again.
#include "harness/observe/dump_repair.hpp"

#include <algorithm>
#include <limits>

namespace sockdrill {
namespace {

bool in_mask(std::uint32_t mask, const SocketRecord& r) { return (mask & tcp_state_bit(r.state)) != 0; }

}  // namespace

void DumpRepair::repair(std::uint32_t mask, const std::vector<SocketRecord>& before,
                        std::vector<SocketRecord>& now, const Finder& find) {
  // The set spans this read's cookies only: a socket of `before` outside them is missing without
  // a lookup in the set, and `before` is read once, below.
  std::uint64_t low = std::numeric_limits<std::uint64_t>::max(), high = 0;
  for (const SocketRecord& r : now)
    if (r.cookie != 0) {
      low = std::min(low, r.cookie);
      high = std::max(high, r.cookie);
    }
  in_now_.reset(low, high, now.size());

  // Repeats: rare, so the first place of each repeated socket is searched for only when some.
  repeated_.assign(now.size(), 0);
  repeated_cookies_.clear();
  for (std::size_t i = 0; i < now.size(); ++i)
    if (now[i].cookie != 0 && !in_now_.insert(now[i].cookie)) {
      repeated_[i] = 1;
      repeated_cookies_.push_back(now[i].cookie);
    }
  if (!repeated_cookies_.empty()) {
    tally_.repeats += repeated_cookies_.size();
    std::sort(repeated_cookies_.begin(), repeated_cookies_.end());
    first_seen_.clear();
    for (std::size_t i = 0; i < now.size(); ++i)
      if (!repeated_[i] && std::binary_search(repeated_cookies_.begin(), repeated_cookies_.end(), now[i].cookie))
        first_seen_.emplace_back(now[i].cookie, i);
    std::sort(first_seen_.begin(), first_seen_.end());
    // The later record is the newer one: it takes the first one's place, before any moves.
    for (std::size_t i = 0; i < now.size(); ++i)
      if (repeated_[i]) {
        const auto first = std::lower_bound(first_seen_.begin(), first_seen_.end(),
                                            std::pair<std::uint64_t, std::size_t>{now[i].cookie, 0});
        now[first->second] = now[i];
      }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < now.size(); ++i) {
      if (repeated_[i]) continue;
      if (kept != i) now[kept] = std::move(now[i]);
      ++kept;
    }
    now.resize(kept);
  }

  missing_.clear();
  for (const SocketRecord& r : before)
    if (r.cookie != 0 && in_mask(mask, r) && !in_now_.contains(r.cookie)) missing_.push_back(r);
  if (missing_.empty()) return;
  tally_.looked_up += missing_.size();
  found_.clear();
  find(missing_, found_);
  found_outside_.clear();
  for (const SocketRecord& r : found_) {
    // Not one moved to a state this read does not ask for, nor one found twice.
    if (!in_mask(mask, r) || r.cookie == 0) continue;
    const bool in_range = r.cookie >= low && r.cookie <= high;
    if (in_range ? !in_now_.insert(r.cookie)
                 : std::find(found_outside_.begin(), found_outside_.end(), r.cookie) != found_outside_.end())
      continue;
    if (!in_range) found_outside_.push_back(r.cookie);
    now.push_back(r);
    ++tally_.skipped;
  }
}

bool DumpRepair::read_has(std::uint64_t cookie) const {
  return in_now_.contains(cookie) ||
         std::find(found_outside_.begin(), found_outside_.end(), cookie) != found_outside_.end();
}

}  // namespace sockdrill
