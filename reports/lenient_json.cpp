// Lenient field reading for report JSON: defaults and warnings instead of exceptions.
#include "reports/lenient_json.hpp"

#include <cmath>
#include <limits>

#include "common/diagnostics.hpp"

namespace sockdrill::reports {
namespace {

// A JSON number as a whole number, when it is one (3 and 3.0 alike).
std::optional<long double> whole_number(const Json& v) {
  if (v.is_number_unsigned()) return static_cast<long double>(v.get<std::uint64_t>());
  if (v.is_number_integer()) return static_cast<long double>(v.get<std::int64_t>());
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::trunc(d) == d) return d;
  }
  return std::nullopt;
}

template <typename T>
std::optional<T> whole_in_range(const Json& v) {
  auto n = whole_number(v);
  if (!n || *n < static_cast<long double>(std::numeric_limits<T>::min()) ||
      *n > static_cast<long double>(std::numeric_limits<T>::max()))
    return std::nullopt;
  if (v.is_number_unsigned()) return static_cast<T>(v.get<std::uint64_t>());
  if (v.is_number_integer()) return static_cast<T>(v.get<std::int64_t>());
  return static_cast<T>(*n);
}

// A value as a warning shows it: short, and valid UTF-8 whatever it holds.
std::string shown(const Json& v) {
  std::string text = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  return text.size() <= 40 ? text : text.substr(0, 37) + "...";
}

template <typename T>
std::optional<T> checked(LenientReader& r, std::optional<T> got, const Json& v,
                         const std::string& at, const char* wanted) {
  if (!got)
    r.warn(at, std::string("expected ") + wanted + ", got " + shown(v) + "; using the default");
  return got;
}

}  // namespace

std::string pointer_to(const std::string& at, std::string_view key) {
  return pointer_join(at, std::string(key));
}

void LenientReader::warn(const std::string& at, const std::string& what) {
  warnings_.push_back("report JSON at " + (at.empty() ? std::string("/") : at) + ": " + what);
}

const Json* LenientReader::field(const Json& obj, const std::string& at, std::string_view key,
                                 Need need) {
  if (!obj.is_object()) {
    warn(at, "expected an object, got " + std::string(obj.type_name()));
    return nullptr;
  }
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) {
    if (need == Need::required) warn(pointer_to(at, key), "missing; using the default");
    return nullptr;
  }
  return &*it;
}

std::optional<std::vector<std::string>> LenientReader::strings(const Json& obj,
                                                               const std::string& at,
                                                               std::string_view key, Need need) {
  const Json* list = field(obj, at, key, need);
  if (!list) return std::nullopt;
  const std::string here = pointer_to(at, key);
  std::vector<std::string> out;
  if (!list->is_array()) warn(here, "expected an array of strings; read as empty");
  for (std::size_t i = 0; list->is_array() && i < list->size(); ++i)
    if (auto s = value<std::string>((*list)[i], here + "/" + std::to_string(i))) out.push_back(*s);
  return out;
}

template <>
std::optional<std::string> LenientReader::value<std::string>(const Json& v, const std::string& at) {
  return checked(*this, v.is_string() ? std::optional(v.get<std::string>()) : std::nullopt, v, at,
                 "a string");
}

template <>
std::optional<double> LenientReader::value<double>(const Json& v, const std::string& at) {
  return checked(*this, v.is_number() ? std::optional(v.get<double>()) : std::nullopt, v, at,
                 "a number");
}

template <>
std::optional<bool> LenientReader::value<bool>(const Json& v, const std::string& at) {
  return checked(*this, v.is_boolean() ? std::optional(v.get<bool>()) : std::nullopt, v, at,
                 "true or false");
}

template <>
std::optional<int> LenientReader::value<int>(const Json& v, const std::string& at) {
  return checked(*this, whole_in_range<int>(v), v, at, "a 32-bit integer");
}

template <>
std::optional<std::int64_t> LenientReader::value<std::int64_t>(const Json& v,
                                                               const std::string& at) {
  return checked(*this, whole_in_range<std::int64_t>(v), v, at, "an integer");
}

template <>
std::optional<std::uint64_t> LenientReader::value<std::uint64_t>(const Json& v,
                                                                 const std::string& at) {
  return checked(*this, whole_in_range<std::uint64_t>(v), v, at, "an integer not below 0");
}

}  // namespace sockdrill::reports
