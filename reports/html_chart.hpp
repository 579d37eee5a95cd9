// One case's timeline as inline SVG: state counts, expectation windows, events, the timeline.
#pragma once
#include <ostream>
#include <string>
#include <string_view>

#include "reports/record.hpp"

namespace sockdrill::reports {

// Writes <div class="legend"> and <svg class="chart">. Every value shows on hover (<title>).
// The plot area is <rect class="plot">; each expectation's window on it is
// <rect class="window RESULT" data-expectation="INDEX">.
void write_case_chart(std::ostream& out, const CaseRecord& c);

// Text for HTML content or a double-quoted attribute (& < > " ' escaped, invalid UTF-8 and
// control characters replaced).
std::string html_text(std::string_view text);

}  // namespace sockdrill::reports
