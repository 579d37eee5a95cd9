// "user_timeout_ms": TCP_USER_TIMEOUT, how long sent data may stay unacknowledged.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"

namespace sockdrill::behaviors {
namespace {
constexpr char kCall[] = "setsockopt(TCP_USER_TIMEOUT)";
}  // namespace

extern const OptionKind user_timeout_option = int_socket_option<IPPROTO_TCP, TCP_USER_TIMEOUT, kCall>("user_timeout_ms");

}  // namespace sockdrill::behaviors
