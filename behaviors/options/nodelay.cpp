// "nodelay": TCP_NODELAY on (true) or off (false), as written.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& v, const std::string& pointer, ValidationContext& ctx) {
  checks::is_bool(v, pointer, ctx.diag);
}

std::unique_ptr<Option> build(const Json& v) {
  return std::make_unique<IntSocketOption>(IPPROTO_TCP, TCP_NODELAY, v.get<bool>() ? 1 : 0,
                                           "setsockopt(TCP_NODELAY)");
}

}  // namespace

extern const OptionKind nodelay_option{"nodelay", validate, build};

}  // namespace sockdrill::behaviors
