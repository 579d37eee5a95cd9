// "nodelay": TCP_NODELAY on (true) or off (false), as written.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

class Nodelay final : public Option {
 public:
  explicit Nodelay(bool on) : on_(on) {}
  std::string_view key() const override { return "nodelay"; }
  Json value_json() const override { return on_; }
  std::vector<OptionFailure> apply(OptionTarget& t) const override {
    std::vector<OptionFailure> f;
    set_int_option(t.fd, IPPROTO_TCP, TCP_NODELAY, on_ ? 1 : 0, "setsockopt(TCP_NODELAY)", f);
    return f;
  }

 private:
  bool on_;
};

std::unique_ptr<Option> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  if (!checks::is_bool(v, pointer, ctx.diag)) return nullptr;
  return std::make_unique<Nodelay>(v.get<bool>());
}

Json schema() {
  return {{"type", "boolean"}};
}

}  // namespace

extern const OptionKind nodelay_option{"nodelay", parse, schema};

}  // namespace sockdrill::behaviors
