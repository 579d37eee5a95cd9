// Reads fields of a report's JSON without ever failing: a missing or mistyped field gives its
// default and one warning naming its JSON pointer.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"

namespace sockdrill::reports {

std::string pointer_to(const std::string& at, std::string_view key);

class LenientReader {
 public:
  enum class Need { required, optional };  // whether a missing field is worth a warning

  // obj[key]; nullptr when it is missing (or null), or when obj is not an object.
  const Json* field(const Json& obj, const std::string& at, std::string_view key, Need need);

  // obj[key] as T (std::string, double, bool, int, std::int64_t, std::uint64_t): nullopt when
  // missing or of another type (the latter always warns).
  template <typename T>
  std::optional<T> maybe(const Json& obj, const std::string& at, std::string_view key,
                         Need need = Need::optional);
  template <typename T>
  T get(const Json& obj, const std::string& at, std::string_view key, T fallback = T{},
        Need need = Need::required) {
    return maybe<T>(obj, at, key, need).value_or(std::move(fallback));
  }

  // Calls each(element, its pointer) for every object in the array obj[key]; anything else
  // in it, or a key that is not an array, is a warning.
  template <typename Each>
  void objects(const Json& obj, const std::string& at, std::string_view key, Need need,
               Each&& each);

  // Calls each(name, value, its pointer) for every member of the object obj[key], or of `map`.
  template <typename Each>
  void members(const Json& obj, const std::string& at, std::string_view key, Need need,
               Each&& each) {
    if (const Json* map = field(obj, at, key, need)) members_of(*map, pointer_to(at, key), each);
  }
  template <typename Each>
  void members_of(const Json& map, const std::string& at, Each&& each);

  // The array of strings obj[key] (nullopt when missing); other items are left out, warned.
  std::optional<std::vector<std::string>> strings(const Json& obj, const std::string& at,
                                                  std::string_view key, Need need);

  // A value as T, warning (at `at`) when it is of another type.
  template <typename T>
  std::optional<T> value(const Json& v, const std::string& at);

  void warn(const std::string& at, const std::string& what);
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

 private:
  std::vector<std::string> warnings_;
};

// Spelled out for the types above in lenient_json.cpp.
template <>
std::optional<std::string> LenientReader::value<std::string>(const Json&, const std::string&);
template <>
std::optional<double> LenientReader::value<double>(const Json&, const std::string&);
template <>
std::optional<bool> LenientReader::value<bool>(const Json&, const std::string&);
template <>
std::optional<int> LenientReader::value<int>(const Json&, const std::string&);
template <>
std::optional<std::int64_t> LenientReader::value<std::int64_t>(const Json&, const std::string&);
template <>
std::optional<std::uint64_t> LenientReader::value<std::uint64_t>(const Json&, const std::string&);

template <typename T>
std::optional<T> LenientReader::maybe(const Json& obj, const std::string& at, std::string_view key,
                                      Need need) {
  const Json* v = field(obj, at, key, need);
  if (!v) return std::nullopt;
  return value<T>(*v, pointer_to(at, key));
}

template <typename Each>
void LenientReader::objects(const Json& obj, const std::string& at, std::string_view key, Need need,
                            Each&& each) {
  const Json* list = field(obj, at, key, need);
  if (!list) return;
  const std::string here = pointer_to(at, key);
  if (!list->is_array()) {
    warn(here, "expected an array, got " + std::string(list->type_name()) + "; read as empty");
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string item = here + "/" + std::to_string(i);
    if ((*list)[i].is_object())
      each((*list)[i], item);
    else
      warn(item, "expected an object, got " + std::string((*list)[i].type_name()) + "; left out");
  }
}

template <typename Each>
void LenientReader::members_of(const Json& map, const std::string& at, Each&& each) {
  if (!map.is_object()) {
    warn(at, "expected an object, got " + std::string(map.type_name()) + "; read as empty");
    return;
  }
  for (const auto& [name, v] : map.items()) each(name, v, pointer_to(at, name));
}

}  // namespace sockdrill::reports
