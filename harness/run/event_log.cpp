// Every event of the case as the runner received it, stamped relative to t = 0.
#include "harness/run/event_log.hpp"

#include <algorithm>

namespace sockdrill {

void EventLog::add(RecordedEvent e, std::int64_t t_ns) {
  if (!clock_.t0_given()) {
    before_t0_.emplace_back(t_ns, std::move(e));
    return;
  }
  e.t_us = clock_.rel_us(t_ns);
  events_.push_back(std::move(e));
}

void EventLog::t0_given() {
  for (auto& [t_ns, e] : before_t0_) {
    e.t_us = clock_.rel_us(t_ns);
    events_.push_back(std::move(e));
  }
  before_t0_.clear();
}

std::vector<RecordedEvent> EventLog::take_new() {
  std::vector<RecordedEvent> fresh(events_.begin() + static_cast<std::ptrdiff_t>(handed_over_),
                                   events_.end());
  handed_over_ = events_.size();
  return fresh;
}

std::vector<RecordedEvent> EventLog::all() const {
  std::vector<RecordedEvent> out = events_;
  for (auto& [t_ns, e] : before_t0_) {
    RecordedEvent copy = e;
    copy.t_us = clock_.rel_us(t_ns);
    out.push_back(std::move(copy));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RecordedEvent& a, const RecordedEvent& b) { return a.t_us < b.t_us; });
  return out;
}

}  // namespace sockdrill
