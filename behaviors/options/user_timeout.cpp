// "user_timeout_ms": TCP_USER_TIMEOUT, how long sent data may stay unacknowledged.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"

namespace sockdrill::behaviors {
namespace {
constexpr char kKey[] = "user_timeout_ms";
constexpr char kCall[] = "setsockopt(TCP_USER_TIMEOUT)";
}  // namespace

extern const OptionKind user_timeout_option =
    IntSocketOption<kKey, IPPROTO_TCP, TCP_USER_TIMEOUT, kCall>::kind();

}  // namespace sockdrill::behaviors
