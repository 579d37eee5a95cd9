// What `explain` prints: findings for a person, or as JSON ("sockdrill-explain/1").
#pragma once
#include <string>
#include <vector>

#include "common/json.hpp"
#include "harness/field/findings/finding.hpp"

namespace sockdrill::field {

std::string explain_text(const ExplainInput& input, const std::vector<Finding>& findings);
Json explain_json(const ExplainInput& input, const std::vector<Finding>& findings);

}  // namespace sockdrill::field
