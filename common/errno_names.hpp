// errno values to and from their symbolic names ("ECONNRESET"), as events carry them.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockdrill {
std::string errno_name(int err);                        // "E123" style fallback for unknown values
std::optional<int> errno_from_name(std::string_view name);  // nullopt when not a known name
std::vector<std::string_view> errno_names();  // every name errno_from_name knows
}  // namespace sockdrill
