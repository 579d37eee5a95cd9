// What a socket option is: validation, construction and application in one unit
// (behaviors/options/*.cpp).
#pragma once
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "behaviors/connection.hpp"
#include "behaviors/validate.hpp"
#include "common/json_checks.hpp"
#include "common/json.hpp"

namespace sockdrill::behaviors {

// What an option acts on: the descriptor and the peer-side settings that go with it.
struct OptionTarget {
  int fd;
  SocketSettings& settings;
};

struct OptionFailure {
  int err;           // errno of the failing call
  std::string call;  // "setsockopt(SO_KEEPALIVE)"
};

class Option {
 public:
  virtual ~Option() = default;
  // Applies the option; returns the failures (empty when every call succeeded).
  virtual std::vector<OptionFailure> apply(OptionTarget& target) const = 0;
};

struct OptionKind {
  std::string_view key;  // "linger_s", "keepalive", ...
  // `value` is the option's value, `pointer` its JSON pointer.
  void (*validate)(const Json& value, const std::string& pointer, ValidationContext& ctx);
  std::unique_ptr<Option> (*build)(const Json& value);
};

// Every option, in the order of CASE_FORMAT.md (behaviors/options/table.cpp).
std::span<const OptionKind> option_table();
const OptionKind* find_option(std::string_view key);

// A validated "options" object (or a {"set": ...} body), applied in the order written.
class OptionSet {
 public:
  OptionSet() = default;
  static OptionSet build(const Json& options);
  std::vector<OptionFailure> apply(OptionTarget& target) const;
  bool empty() const { return options_.empty(); }

 private:
  std::vector<std::unique_ptr<Option>> options_;
};

// One setsockopt(2) of an int value; a failure is appended to `failures`.
void set_int_option(int fd, int level, int name, int value, const char* call,
                    std::vector<OptionFailure>& failures);

// The common kind of option: one setsockopt(2) of an int.
class IntSocketOption final : public Option {
 public:
  IntSocketOption(int level, int name, int value, const char* call)
      : level_(level), name_(name), value_(value), call_(call) {}
  std::vector<OptionFailure> apply(OptionTarget& target) const override {
    std::vector<OptionFailure> failures;
    set_int_option(target.fd, level_, name_, value_, call_, failures);
    return failures;
  }

 private:
  int level_, name_, value_;
  const char* call_;  // "setsockopt(SO_RCVBUF)", for the error event
};

// The whole unit of an option that is one non-negative integer given to one setsockopt:
//   constexpr char kCall[] = "setsockopt(TCP_USER_TIMEOUT)";
//   extern const OptionKind user_timeout_option =
//       int_socket_option<IPPROTO_TCP, TCP_USER_TIMEOUT, kCall>("user_timeout_ms");
template <int Level, int Name, const char* Call>
constexpr OptionKind int_socket_option(std::string_view key) {
  return {key,
          [](const Json& v, const std::string& pointer, ValidationContext& ctx) {
            checks::is_int(v, pointer, ctx.diag);
          },
          [](const Json& v) -> std::unique_ptr<Option> {
            return std::make_unique<IntSocketOption>(Level, Name, v.get<int>(), Call);
          }};
}

}  // namespace sockdrill::behaviors
