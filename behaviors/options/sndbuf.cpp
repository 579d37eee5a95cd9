// "sndbuf": SO_SNDBUF in bytes (the kernel doubles it); set on a listener, inherited on accept.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"

namespace sockdrill::behaviors {
namespace {
constexpr char kCall[] = "setsockopt(SO_SNDBUF)";
}  // namespace

extern const OptionKind sndbuf_option = int_socket_option<SOL_SOCKET, SO_SNDBUF, kCall>("sndbuf");

}  // namespace sockdrill::behaviors
