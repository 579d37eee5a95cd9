// Shared checks for validating case JSON.
#include "common/json_checks.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

namespace sockdrill::checks {

std::string describe_type(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string " + v.dump();
    case Json::value_t::boolean: return std::string("the boolean ") + (v.get<bool>() ? "true" : "false");
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "the integer " + v.dump();
    case Json::value_t::number_float:
      // dump() writes null for what a double cannot hold (only a program makes those).
      return std::isfinite(v.get<double>()) ? "the number " + v.dump() : "a number out of range";
    default: return "a value of another type";
  }
}

bool is_object(const Json& v, const std::string& ptr, Diagnostics& d) {
  if (v.is_object()) return true;
  d.error(ptr, "expected an object, got " + describe_type(v));
  return false;
}
bool is_string(const Json& v, const std::string& ptr, Diagnostics& d) {
  if (v.is_string()) return true;
  d.error(ptr, "expected a string, got " + describe_type(v));
  return false;
}
bool is_bool(const Json& v, const std::string& ptr, Diagnostics& d) {
  if (v.is_boolean()) return true;
  d.error(ptr, "expected true or false, got " + describe_type(v));
  return false;
}
bool is_array(const Json& v, const std::string& ptr, Diagnostics& d) {
  if (v.is_array()) return true;
  d.error(ptr, "expected an array, got " + describe_type(v));
  return false;
}

namespace {
// The refusal of an integer outside [min, max]: a bound of its own (max below int32's) reads
// "from MIN to MAX"; otherwise the side that was crossed, "at least MIN" or "at most MAX".
void out_of_range(const std::string& ptr, Diagnostics& d, std::int64_t min, std::int64_t max,
                  bool too_small, const std::string& seen) {
  std::string range = max != kMaxInt ? "from " + std::to_string(min) + " to " + std::to_string(max)
                      : too_small    ? "at least " + std::to_string(min)
                                     : "at most " + std::to_string(max);
  d.error(ptr, "expected an integer " + range + ", got " + seen);
}
}  // namespace

bool is_int(const Json& v, const std::string& ptr, Diagnostics& d, std::int64_t min,
            std::int64_t max) {
  std::int64_t value = 0;
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      out_of_range(ptr, d, min, max, false, v.dump());
      return false;
    }
    value = static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    value = v.get<std::int64_t>();
  } else if (v.is_number_float() && std::isfinite(v.get<double>()) &&
             std::floor(v.get<double>()) == v.get<double>()) {
    // A whole number written as a float (5.0, 5e9): the range first, then the spelling.
    double x = v.get<double>();
    if (x < static_cast<double>(min) || x > static_cast<double>(max))
      out_of_range(ptr, d, min, max, x < static_cast<double>(min), v.dump());
    else
      d.error(ptr, "expected an integer, got " + v.dump() + " (write it without a fraction)");
    return false;
  } else {
    d.error(ptr, "expected an integer, got " + describe_type(v));
    return false;
  }
  if (value < min || value > max) {
    out_of_range(ptr, d, min, max, value < min, std::to_string(value));
    return false;
  }
  return true;
}

bool is_number(const Json& v, const std::string& ptr, Diagnostics& d, double min, double max) {
  if (!v.is_number()) {
    d.error(ptr, "expected a number, got " + describe_type(v));
    return false;
  }
  double x = v.get<double>();
  // -0.0 (a negative number too small for a double) is below a range that starts at 0.
  if (!(x >= min && x <= max) || (std::signbit(x) && !std::signbit(min) && min == 0.0)) {
    d.error(ptr, "expected a number from " + Json(min).dump() + " to " + Json(max).dump() +
                     ", got " + v.dump());
    return false;
  }
  return true;
}

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Edits from a to b: a letter replaced, inserted or deleted, or two neighbours swapped.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}
}  // namespace

std::optional<std::string_view> near_miss(std::string_view seen,
                                          std::span<const std::string_view> allowed) {
  // Names are short; a long one would only cost time (its nearest name is far anyway).
  if (seen.size() > 64) return std::nullopt;
  const std::string s = lower(seen);
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (auto a : allowed) {
    const std::size_t distance = edit_distance(s, lower(a));
    // Two slips in a name of five letters or more, one in a shorter one ("to" is no "tx").
    const std::size_t limit = a.size() >= 5 ? 2 : 1;
    if (distance > limit || (best && distance >= best_distance)) continue;
    best = a;
    best_distance = distance;
  }
  return best;
}

std::string did_you_mean(std::string_view seen, std::span<const std::string_view> allowed) {
  auto meant = near_miss(seen, allowed);
  return meant ? ": did you mean \"" + std::string(*meant) + "\"?" : "";
}

std::optional<std::string> one_of(const Json& v, const std::string& ptr, Diagnostics& d,
                                  std::span<const std::string_view> allowed) {
  if (!is_string(v, ptr, d)) return std::nullopt;
  auto s = v.get<std::string>();
  std::string list;
  for (auto a : allowed) {
    if (s == a) return s;
    list += (list.empty() ? "\"" : ", \"") + std::string(a) + "\"";
  }
  d.error(ptr, "expected one of " + list + ", got \"" + s + "\"" + did_you_mean(s, allowed));
  return std::nullopt;
}

std::optional<std::string> non_empty_string(const Json& v, const std::string& ptr, Diagnostics& d,
                                            std::string_view what) {
  if (!is_string(v, ptr, d)) return std::nullopt;
  auto s = v.get<std::string>();
  if (!s.empty()) return s;
  d.error(ptr, "expected " + std::string(what) + ", got an empty string");
  return std::nullopt;
}

bool known_keys(const Json& obj, const std::string& ptr, Diagnostics& d,
                std::span<const std::string_view> allowed) {
  bool ok = true;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool found = false;
    for (auto a : allowed) found = found || a == it.key();
    if (!found) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      // A key the object already has is no guess for another one.
      std::vector<std::string_view> absent;
      for (auto a : allowed)
        if (!obj.contains(a)) absent.push_back(a);
      auto meant = near_miss(it.key(), absent);
      d.error({pointer_join(ptr, it.key()),
               "unknown key \"" + it.key() + "\"" + did_you_mean(it.key(), absent) +
                   " (expected one of: " + list + ")",
               meant ? std::string(*meant) : "",
               {}});
      ok = false;
    }
  }
  return ok;
}

bool has_key(const Json& obj, const std::string& ptr, Diagnostics& d, std::string_view key) {
  if (obj.contains(key)) return true;
  d.error({ptr, "missing required key \"" + std::string(key) + "\"", "", {std::string(key)}});
  return false;
}

bool exactly_one_key(const Json& obj, const std::string& ptr, Diagnostics& d,
                     std::initializer_list<std::string_view> keys) {
  int n = 0;
  std::string list;
  std::vector<std::string> missing;
  for (auto k : keys) {
    missing.emplace_back(k);
    n += obj.contains(k) ? 1 : 0;
    list += (list.empty() ? "\"" : ", \"") + std::string(k) + "\"";
  }
  if (n == 1) return true;
  if (n > 1) missing.clear();  // too many: no missing key would explain it
  d.error({ptr,
           (n == 0 ? "expected one of " : "expected only one of ") + list +
               (n == 0 ? ", found none" : ", found " + std::to_string(n)),
           "", std::move(missing)});
  return false;
}

}  // namespace sockdrill::checks
