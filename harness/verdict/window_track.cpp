// One expectation's window: which observations fall inside it, and what they showed.
#include "harness/verdict/window_track.hpp"

#include <algorithm>

#include "harness/verdict/expectation_text.hpp"

namespace sockdrill {

using verdict_text::format_ms;
using verdict_text::plural;

Interval WindowTrack::reading(std::int64_t begin_us, std::int64_t end_us) const {
  const auto kind = spec.selector.kind;
  if (kind == Selector::events || kind == Selector::bytes) return {end_us, end_us};
  return {begin_us, end_us};
}

void WindowTrack::record(std::int64_t t_us, std::int64_t value) {
  if (!latest_ || latest_->second != value) {
    if (values_.size() < verdict_text::kReportValueCap) values_.emplace_back(t_us, value);
    else ++values_omitted_;
  }
  latest_.emplace(t_us, value);
}

void WindowTrack::record_in_window(std::int64_t t_us, std::int64_t value) {
  if (window_count_ == 0) window_first_us_ = t_us;
  window_last_us_ = t_us;
  ++window_count_;
  if (window_changes_.empty() || window_changes_.back().second != value) {
    if (window_changes_.size() < verdict_text::kWindowChangeCap) window_changes_.emplace_back(t_us, value);
    else ++window_changes_omitted_;
  }
}

std::string WindowTrack::window_seen_text() const {
  if (window_count_ == 0) return "no observation was taken";
  const std::string span =
      "from " + format_ms(window_first_us_) + " to " + format_ms(window_last_us_) + " ms";
  if (window_constant())
    return "saw " + std::to_string(window_first_value()) + " at every observation " + span + " (" +
           plural(window_count_, "observation") + ")";
  std::string text = "saw ";
  const std::size_t shown = std::min(window_changes_.size(), verdict_text::kMessageChangeCap);
  for (std::size_t i = 0; i < shown; ++i)
    text += (i > 0 ? ", " : "") + std::to_string(window_changes_[i].second) + " from " +
            format_ms(window_changes_[i].first) + " ms";
  const std::int64_t more =
      static_cast<std::int64_t>(window_changes_.size() - shown) + window_changes_omitted_;
  if (more > 0) text += ", ... " + plural(more, "more change");
  return text + " (" + plural(window_count_, "observation") + " " + span + ")";
}

}  // namespace sockdrill
