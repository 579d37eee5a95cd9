// "sndbuf": SO_SNDBUF in bytes (the kernel doubles it); set on a listener, inherited on accept.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"

namespace sockdrill::behaviors {
namespace {
constexpr char kKey[] = "sndbuf";
constexpr char kCall[] = "setsockopt(SO_SNDBUF)";
}  // namespace

extern const OptionKind sndbuf_option = IntSocketOption<kKey, SOL_SOCKET, SO_SNDBUF, kCall>::kind();

}  // namespace sockdrill::behaviors
