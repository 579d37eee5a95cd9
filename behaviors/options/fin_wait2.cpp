// "fin_wait2_s": TCP_LINGER2, seconds an orphaned FIN_WAIT2 lives (0 = tcp_fin_timeout).
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
  return std::make_unique<IntSocketOption>(IPPROTO_TCP, TCP_LINGER2, v.get<int>(),
                                           "setsockopt(TCP_LINGER2)");
}

}  // namespace

extern const OptionKind fin_wait2_option{"fin_wait2_s", validate, build};

}  // namespace sockdrill::behaviors
