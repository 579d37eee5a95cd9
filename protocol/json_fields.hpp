// Reading a protocol message's fields by type, with one message for whatever is missing or wrong.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include "common/json.hpp"

namespace sockdrill::protocol {

// Reads fields of one message object; the first problem is kept in `problem` ("event: \"t_ns\":
// expected an integer, got \"x\""). Integers are range-checked into the target type, so a
// message can never overflow what it fills.
class Fields {
 public:
  Fields(const Json& object, std::string what, std::string& problem)
      : j_(object), what_(std::move(what)), problem_(problem) {
    if (!j_.is_object()) fail("", "expected an object, got " + shown(j_));
  }
  bool ok() const { return problem_.empty(); }
  void fail(const std::string& key, const std::string& message) {
    if (!problem_.empty()) return;
    problem_ = what_ + (key.empty() ? "" : ": \"" + key + "\"") + ": " + message;
    failed_key_ = key;
  }
  // The key of the first problem ("" for the object itself).
  const std::string& failed_key() const { return failed_key_; }

  template <typename T>
  bool required(const char* key, T& out) {
    if (!ok()) return false;
    if (!j_.contains(key)) {
      fail(key, "missing");
      return false;
    }
    return read(key, j_[key], out);
  }
  // Absent is fine (out untouched, false); present must have the right type.
  template <typename T>
  bool optional(const char* key, T& out) {
    if (!ok() || !j_.contains(key)) return false;
    return read(key, j_[key], out);
  }
  template <typename T>
  bool optional(const char* key, std::optional<T>& out) {
    T value{};
    if (!optional(key, value)) return false;
    out = value;
    return true;
  }

 private:
  bool read(const char* key, const Json& v, std::string& out) {
    if (!v.is_string()) return bad(key, "a string", v);
    out = v.get<std::string>();
    return true;
  }
  bool read(const char* key, const Json& v, bool& out) {
    if (!v.is_boolean()) return bad(key, "true or false", v);
    out = v.get<bool>();
    return true;
  }
  bool read(const char* key, const Json& v, double& out) {
    if (!v.is_number()) return bad(key, "a number", v);
    out = v.get<double>();
    return true;
  }
  template <typename T>
    requires std::is_integral_v<T>
  bool read(const char* key, const Json& v, T& out) {
    using L = std::numeric_limits<T>;
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(L::max())) return bad(key, range<T>(), v);
      out = static_cast<T>(u);
      return true;
    }
    if (v.is_number_integer()) {
      const auto i = v.get<std::int64_t>();
      if constexpr (std::is_signed_v<T>) {
        if (i < static_cast<std::int64_t>(L::min()) || i > static_cast<std::int64_t>(L::max()))
          return bad(key, range<T>(), v);
      } else if (i < 0 || static_cast<std::uint64_t>(i) > static_cast<std::uint64_t>(L::max())) {
        return bad(key, range<T>(), v);
      }
      out = static_cast<T>(i);
      return true;
    }
    return bad(key, range<T>(), v);
  }
  template <typename T>
  static std::string range() {
    return "an integer from " + std::to_string(std::numeric_limits<T>::min()) + " to " +
           std::to_string(std::numeric_limits<T>::max());
  }
  bool bad(const char* key, const std::string& expected, const Json& v) {
    fail(key, "expected " + expected + ", got " + shown(v));
    return false;
  }
  static std::string shown(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

  const Json& j_;
  std::string what_;
  std::string& problem_;
  std::string failed_key_;
};

}  // namespace sockdrill::protocol
