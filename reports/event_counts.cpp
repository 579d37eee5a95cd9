// Counting a case's events per peer, kind and errno or code, and bounding the list a report keeps.
#include "reports/event_counts.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace sockdrill::reports {

std::vector<EventCount> count_events(const std::vector<EventRecord>& events) {
  using Key = std::tuple<std::string, std::string, std::optional<std::string>, std::optional<int>>;
  std::map<Key, std::size_t> at;  // key -> its place in `counts`
  std::vector<EventCount> counts;
  for (const EventRecord& e : events) {
    Key key{e.peer, e.kind, e.errno_name, e.code};
    auto [it, fresh] = at.try_emplace(std::move(key), counts.size());
    if (fresh) counts.push_back({e.peer, e.kind, e.errno_name, e.code, 0, e.t_ms, e.t_ms});
    EventCount& c = counts[it->second];
    ++c.count;
    c.first_ms = std::min(c.first_ms, e.t_ms);
    c.last_ms = std::max(c.last_ms, e.t_ms);
  }
  return counts;
}

std::int64_t bound_events(std::vector<EventRecord>& events, std::size_t kept) {
  if (events.size() <= kept) return 0;
  const std::size_t head = kept / 2, tail = kept - head;
  const std::size_t dropped = events.size() - kept;
  events.erase(events.begin() + static_cast<std::ptrdiff_t>(head),
               events.end() - static_cast<std::ptrdiff_t>(tail));
  return static_cast<std::int64_t>(dropped);
}

}  // namespace sockdrill::reports
