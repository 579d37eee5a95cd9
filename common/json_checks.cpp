// Shared checks for validating case JSON.
#include "common/json_checks.hpp"

#include <cmath>

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
    case Json::value_t::number_float: return "the number " + v.dump();
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

bool is_int(const Json& v, const std::string& ptr, Diagnostics& d, std::int64_t min,
            std::int64_t max) {
  std::int64_t value = 0;
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      d.error(ptr, "expected an integer from " + std::to_string(min) + " to " +
                       std::to_string(max) + ", got " + v.dump());
      return false;
    }
    value = static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    value = v.get<std::int64_t>();
  } else if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>() &&
             std::fabs(v.get<double>()) < 9e15) {
    d.error(ptr, "expected an integer, got " + v.dump() + " (write it without a fraction)");
    return false;
  } else {
    d.error(ptr, "expected an integer, got " + describe_type(v));
    return false;
  }
  if (value < min || value > max) {
    std::string range = max == kMaxInt ? "at least " + std::to_string(min)
                                       : "from " + std::to_string(min) + " to " + std::to_string(max);
    d.error(ptr, "expected an integer " + range + ", got " + std::to_string(value));
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
  if (!(x >= min && x <= max)) {
    d.error(ptr, "expected a number from " + Json(min).dump() + " to " + Json(max).dump() +
                     ", got " + v.dump());
    return false;
  }
  return true;
}

bool known_keys(const Json& obj, const std::string& ptr, Diagnostics& d,
                std::initializer_list<std::string_view> allowed) {
  bool ok = true;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool found = false;
    for (auto a : allowed) found = found || a == it.key();
    if (!found) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      d.error(pointer_join(ptr, it.key()),
              "unknown key \"" + it.key() + "\" (expected one of: " + list + ")");
      ok = false;
    }
  }
  return ok;
}

bool has_key(const Json& obj, const std::string& ptr, Diagnostics& d, std::string_view key) {
  if (obj.contains(key)) return true;
  d.error(ptr, "missing required key \"" + std::string(key) + "\"");
  return false;
}

bool exactly_one_key(const Json& obj, const std::string& ptr, Diagnostics& d,
                     std::initializer_list<std::string_view> keys) {
  int n = 0;
  std::string list;
  for (auto k : keys) {
    n += obj.contains(k) ? 1 : 0;
    list += (list.empty() ? "\"" : ", \"") + std::string(k) + "\"";
  }
  if (n == 1) return true;
  d.error(ptr, (n == 0 ? "expected one of " : "expected only one of ") + list +
                   (n == 0 ? ", found none" : ", found " + std::to_string(n)));
  return false;
}

}  // namespace sockdrill::checks
