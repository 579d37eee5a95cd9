// An integer parameter that carries its checked range: one type gives its parse, its schema
// and its value, so the three cannot disagree. Durations and sizes fit int32.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/diagnostics.hpp"
#include "common/json.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {

template <std::int64_t Min, std::int64_t Max = checks::kMaxInt>
struct RangedInt {
  static_assert(Min >= 0 && Min <= Max && Max <= checks::kMaxInt, "an int32 range from 0 up");
  static constexpr std::int64_t min = Min;
  static constexpr std::int64_t max = Max;

  int value = static_cast<int>(Min);

  // Reads `v`; false (one diagnostic at `pointer`) when it is not an integer in range.
  bool read(const Json& v, const std::string& pointer, Diagnostics& d) {
    if (!checks::is_int(v, pointer, d, Min, Max)) return false;
    value = v.get<int>();
    return true;
  }
  Json to_json() const { return value; }
  static Json schema() { return {{"type", "integer"}, {"minimum", Min}, {"maximum", Max}}; }
  friend bool operator==(const RangedInt&, const RangedInt&) = default;
};

using NonNegativeInt = RangedInt<0>;
using PositiveInt = RangedInt<1>;

// The member `key` of `object` into `out` when present (left alone when absent). Returns false
// when present and refused.
template <typename T>
bool read_member(const Json& object, std::string_view key, const std::string& pointer,
                 Diagnostics& d, T& out) {
  auto it = object.find(std::string(key));
  return it == object.end() || out.read(*it, pointer_join(pointer, std::string(key)), d);
}
template <typename T>
bool read_member(const Json& object, std::string_view key, const std::string& pointer,
                 Diagnostics& d, std::optional<T>& out) {
  auto it = object.find(std::string(key));
  if (it == object.end()) return true;
  T value;
  if (!value.read(*it, pointer_join(pointer, std::string(key)), d)) return false;
  out = value;
  return true;
}

}  // namespace sockdrill::behaviors
