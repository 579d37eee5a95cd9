// The table of socket options, and an "options" object parsed through it: adding one means its
// file, one line here, its test and a docs row.
#include <sys/socket.h>

#include <cerrno>

#include "behaviors/option.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {

extern const OptionKind linger_option;
extern const OptionKind keepalive_option;
extern const OptionKind rcvbuf_option;
extern const OptionKind sndbuf_option;
extern const OptionKind nodelay_option;
extern const OptionKind recv_timeout_option;
extern const OptionKind fin_wait2_option;
extern const OptionKind user_timeout_option;

std::span<const OptionKind> option_table() {
  // Copies, built on first use, so the order of static initialisation does not matter.
  static const OptionKind table[] = {linger_option,    keepalive_option,   rcvbuf_option,
                                     sndbuf_option,    nodelay_option,     recv_timeout_option,
                                     fin_wait2_option, user_timeout_option};
  return table;
}

const OptionKind* find_option(std::string_view key) {
  for (const auto& kind : option_table())
    if (kind.key == key) return &kind;
  return nullptr;
}

std::optional<OptionSet> OptionSet::parse(const Json& options, const std::string& pointer,
                                          ParseContext& ctx) {
  if (!checks::is_object(options, pointer, ctx.diag)) return std::nullopt;
  OptionSet set;
  for (auto it = options.begin(); it != options.end(); ++it) {
    std::string ptr = pointer_join(pointer, it.key());
    const OptionKind* kind = find_option(it.key());
    if (!kind) {
      std::vector<std::string_view> keys;
      for (const auto& k : option_table()) keys.push_back(k.key);
      ctx.diag.error(ptr, "unknown option \"" + it.key() + "\"" + checks::did_you_mean(it.key(), keys) +
                              " (expected one of: " + names_of(option_table(), &OptionKind::key) + ")");
      continue;
    }
    if (auto option = kind->parse(it.value(), ptr, ctx)) set.options_.push_back(std::move(option));
  }
  if (set.options_.size() != options.size()) return std::nullopt;  // some option was refused
  return set;
}

Json OptionSet::to_json() const {
  Json out = Json::object();
  for (const auto& option : options_) out[std::string(option->key())] = option->value_json();
  return out;
}

std::vector<OptionFailure> OptionSet::apply(OptionTarget& target) const {
  std::vector<OptionFailure> failures;
  for (const auto& option : options_) {
    auto f = option->apply(target);
    failures.insert(failures.end(), f.begin(), f.end());
  }
  return failures;
}

void set_int_option(int fd, int level, int name, int value, const char* call,
                    std::vector<OptionFailure>& failures) {
  if (::setsockopt(fd, level, name, &value, sizeof value) != 0) failures.push_back({errno, call});
}

}  // namespace sockdrill::behaviors
