// "rcvbuf": SO_RCVBUF in bytes (the kernel doubles it); set on a listener, inherited on accept.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"

namespace sockdrill::behaviors {
namespace {
constexpr char kKey[] = "rcvbuf";
constexpr char kCall[] = "setsockopt(SO_RCVBUF)";
}  // namespace

extern const OptionKind rcvbuf_option = IntSocketOption<kKey, SOL_SOCKET, SO_RCVBUF, kCall>::kind();

}  // namespace sockdrill::behaviors
