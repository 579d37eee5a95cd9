// "linger_s": SO_LINGER on with N seconds; 0 makes close() abortive (RST). Inherited on accept.
#include <sys/socket.h>

#include <cerrno>

#include "behaviors/option.hpp"

namespace sockdrill::behaviors {
namespace {

class Linger final : public Option {
 public:
  explicit Linger(NonNegativeInt seconds) : seconds_(seconds) {}
  std::string_view key() const override { return "linger_s"; }
  Json value_json() const override { return seconds_.to_json(); }
  std::vector<OptionFailure> apply(OptionTarget& t) const override {
    linger l{1, seconds_.value};
    if (::setsockopt(t.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0)
      return {{errno, "setsockopt(SO_LINGER)"}};
    t.settings.linger_s = seconds_.value;  // so close() knows it will block or reset
    return {};
  }

 private:
  NonNegativeInt seconds_;
};

std::unique_ptr<Option> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  NonNegativeInt seconds;
  if (!seconds.read(v, pointer, ctx.diag)) return nullptr;
  return std::make_unique<Linger>(seconds);
}

}  // namespace

extern const OptionKind linger_option{"linger_s", parse, NonNegativeInt::schema};

}  // namespace sockdrill::behaviors
