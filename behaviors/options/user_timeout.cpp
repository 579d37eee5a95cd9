// "user_timeout_ms": TCP_USER_TIMEOUT, how long sent data may stay unacknowledged.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& v, const std::string& pointer, ValidationContext& ctx) {
  checks::is_int(v, pointer, ctx.diag);
}

std::unique_ptr<Option> build(const Json& v) {
  return std::make_unique<IntSocketOption>(IPPROTO_TCP, TCP_USER_TIMEOUT, v.get<int>(),
                                           "setsockopt(TCP_USER_TIMEOUT)");
}

}  // namespace

extern const OptionKind user_timeout_option{"user_timeout_ms", validate, build};

}  // namespace sockdrill::behaviors
