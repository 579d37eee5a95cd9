// "rcvbuf": SO_RCVBUF in bytes (the kernel doubles it); set on a listener, inherited on accept.
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
  return std::make_unique<IntSocketOption>(SOL_SOCKET, SO_RCVBUF, v.get<int>(),
                                           "setsockopt(SO_RCVBUF)");
}

}  // namespace

extern const OptionKind rcvbuf_option{"rcvbuf", validate, build};

}  // namespace sockdrill::behaviors
