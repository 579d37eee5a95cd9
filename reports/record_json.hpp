// The record as JSON and back: the format of DIR/cases/NAME.json and of the runner's output.
#pragma once
#include <string_view>

#include "common/json.hpp"
#include "reports/record.hpp"

namespace sockdrill::reports {

Json to_json(const CaseRecord& c);
Json to_json(const RunRecord& run);  // {"cases": [...]}

// Never throw and never crash: a missing or mistyped field gets its default and the case a
// warning; a document that is not a case at all becomes an `error` (harness) case.
// Reads today's reports too ("result": "pending", timeline notes as {"t_ms", "cue": NAME}, ...).
CaseRecord case_from_json(const Json& j);
// The text of one JSON document, such as the runner prints; unreadable text is an error case.
CaseRecord case_from_json_text(std::string_view text);
RunRecord run_from_json(const Json& j);

}  // namespace sockdrill::reports
