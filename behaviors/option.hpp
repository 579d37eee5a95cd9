// What a socket option is: its typed value parsed once from JSON, written back, and applied to
// a socket, all in one unit (behaviors/options/*.cpp).
#pragma once
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "behaviors/connection.hpp"
#include "behaviors/parse_context.hpp"
#include "behaviors/ranged_int.hpp"
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
  virtual std::string_view key() const = 0;  // "linger_s", "keepalive", ...
  virtual Json value_json() const = 0;       // its value as a case writes it
  // Applies the option; returns the failures (empty when every call succeeded).
  virtual std::vector<OptionFailure> apply(OptionTarget& target) const = 0;
};

struct OptionKind {
  std::string_view key;
  // Reads the option's value at `pointer` ("/peers/x/options/rcvbuf"); every problem goes to
  // ctx.diag; nullptr when invalid.
  std::unique_ptr<Option> (*parse)(const Json& value, const std::string& pointer,
                                   ParseContext& ctx);
  Json (*schema)();  // JSON Schema 2020-12 of the value (cases/schema.json, $defs/options)
};

// Every option, in the order of the case format (docs/case-format.md) (behaviors/options/table.cpp).
std::span<const OptionKind> option_table();
const OptionKind* find_option(std::string_view key);

// An "options" object (or a {"set": ...} body), applied in the order written. Copies share
// the options.
class OptionSet {
 public:
  OptionSet() = default;
  // nullopt when anything is invalid (every problem goes to ctx.diag).
  static std::optional<OptionSet> parse(const Json& options, const std::string& pointer,
                                        ParseContext& ctx);
  Json to_json() const;
  std::vector<OptionFailure> apply(OptionTarget& target) const;
  bool empty() const { return options_.empty(); }

 private:
  std::vector<std::shared_ptr<const Option>> options_;
};

// One setsockopt(2) of an int value; a failure is appended to `failures`.
void set_int_option(int fd, int level, int name, int value, const char* call,
                    std::vector<OptionFailure>& failures);

// The whole unit of an option that is one integer in a range given to one setsockopt:
//   constexpr char kKey[] = "user_timeout_ms", kCall[] = "setsockopt(TCP_USER_TIMEOUT)";
//   extern const OptionKind user_timeout_option =
//       IntSocketOption<kKey, IPPROTO_TCP, TCP_USER_TIMEOUT, kCall>::kind();
template <const char* Key, int Level, int Name, const char* Call, typename Value = NonNegativeInt>
class IntSocketOption final : public Option {
 public:
  explicit IntSocketOption(Value value) : value_(value) {}
  std::string_view key() const override { return Key; }
  Json value_json() const override { return value_.to_json(); }
  std::vector<OptionFailure> apply(OptionTarget& target) const override {
    std::vector<OptionFailure> failures;
    set_int_option(target.fd, Level, Name, value_.value, Call, failures);
    return failures;
  }

  static std::unique_ptr<Option> parse(const Json& v, const std::string& pointer,
                                       ParseContext& ctx) {
    Value value;
    if (!value.read(v, pointer, ctx.diag)) return nullptr;
    return std::make_unique<IntSocketOption>(value);
  }
  static constexpr OptionKind kind() { return {Key, parse, Value::schema}; }

 private:
  Value value_;
};

}  // namespace sockdrill::behaviors
