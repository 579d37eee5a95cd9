// "linger_s": SO_LINGER on with N seconds; 0 makes close() abortive (RST). Inherited on accept.
#include <sys/socket.h>

#include <cerrno>

#include "behaviors/option.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& v, const std::string& pointer, ValidationContext& ctx) {
  checks::is_int(v, pointer, ctx.diag);
}

class Linger final : public Option {
 public:
  explicit Linger(int seconds) : seconds_(seconds) {}
  std::vector<OptionFailure> apply(OptionTarget& t) const override {
    linger l{1, seconds_};
    if (::setsockopt(t.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0)
      return {{errno, "setsockopt(SO_LINGER)"}};
    t.settings.linger_s = seconds_;  // so close() knows it will block or reset
    return {};
  }

 private:
  int seconds_;
};

std::unique_ptr<Option> build(const Json& v) {
  return std::make_unique<Linger>(v.get<int>());
}

}  // namespace

extern const OptionKind linger_option{"linger_s", validate, build};

}  // namespace sockdrill::behaviors
