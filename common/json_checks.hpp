// Shared checks for validating case JSON, so every rule is worded the same everywhere.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/diagnostics.hpp"
#include "common/json.hpp"

namespace sockdrill::checks {

inline constexpr std::int64_t kMaxInt = std::numeric_limits<std::int32_t>::max();

// "an object", "a string", ... for messages.
std::string describe_type(const Json& v);

// Each returns false (and records one diagnostic at `ptr`) when the rule is broken.
bool is_object(const Json& v, const std::string& ptr, Diagnostics& d);
bool is_string(const Json& v, const std::string& ptr, Diagnostics& d);
bool is_bool(const Json& v, const std::string& ptr, Diagnostics& d);
bool is_array(const Json& v, const std::string& ptr, Diagnostics& d);
// An integer (no fraction, no bool) in [min, max].
bool is_int(const Json& v, const std::string& ptr, Diagnostics& d, std::int64_t min = 0,
            std::int64_t max = kMaxInt);
// A string equal to one of `allowed` ("expected one of "a", "b", got "c"").
std::optional<std::string> one_of(const Json& v, const std::string& ptr, Diagnostics& d,
                                  std::span<const std::string_view> allowed);
inline std::optional<std::string> one_of(const Json& v, const std::string& ptr, Diagnostics& d,
                                         std::initializer_list<std::string_view> allowed) {
  return one_of(v, ptr, d, std::span(allowed.begin(), allowed.size()));
}
// A string that is not empty; `what` names it: "expected WHAT, got an empty string".
std::optional<std::string> non_empty_string(const Json& v, const std::string& ptr, Diagnostics& d,
                                            std::string_view what);
// A number in [min, max] (probability, toxicity).
bool is_number(const Json& v, const std::string& ptr, Diagnostics& d, double min, double max);
// The allowed name `seen` was most likely meant as: the same but for letter case, or a slip of
// a letter or two (one wrong, missing, extra, or two swapped); nullopt when none is that near.
std::optional<std::string_view> near_miss(std::string_view seen,
                                          std::span<const std::string_view> allowed);
// ": did you mean "NAME"?" for a near miss of `seen` among `allowed`, else "".
std::string did_you_mean(std::string_view seen, std::span<const std::string_view> allowed);
// Unknown keys (with "did you mean" for near misses): every key not in `allowed` is one diagnostic at its own pointer.
bool known_keys(const Json& obj, const std::string& ptr, Diagnostics& d,
                std::span<const std::string_view> allowed);
inline bool known_keys(const Json& obj, const std::string& ptr, Diagnostics& d,
                       std::initializer_list<std::string_view> allowed) {
  return known_keys(obj, ptr, d, std::span(allowed.begin(), allowed.size()));
}
// Required key present.
bool has_key(const Json& obj, const std::string& ptr, Diagnostics& d, std::string_view key);
// Exactly one of the listed keys is present; message names them.
bool exactly_one_key(const Json& obj, const std::string& ptr, Diagnostics& d,
                     std::initializer_list<std::string_view> keys);

}  // namespace sockdrill::checks
