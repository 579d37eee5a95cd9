// Timeline notes from JSON: {"t_ms", "kind", "text", "detail"}, and the runner's older shapes.
#pragma once
#include <string>

#include "common/json.hpp"
#include "reports/lenient_json.hpp"
#include "reports/record.hpp"

namespace sockdrill::reports {

TimelineNote timeline_note_from(LenientReader& r, const Json& j, const std::string& at);

}  // namespace sockdrill::reports
