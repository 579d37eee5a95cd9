// The one JSON type of the project (key order kept, so reports read like the case).
#pragma once
#include <nlohmann/json.hpp>

namespace sockdrill {
using Json = nlohmann::ordered_json;
}  // namespace sockdrill
