// "fin_wait2_s": TCP_LINGER2, seconds an orphaned FIN_WAIT2 lives (0 = tcp_fin_timeout).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"

namespace sockdrill::behaviors {
namespace {
constexpr char kKey[] = "fin_wait2_s";
constexpr char kCall[] = "setsockopt(TCP_LINGER2)";
}  // namespace

extern const OptionKind fin_wait2_option =
    IntSocketOption<kKey, IPPROTO_TCP, TCP_LINGER2, kCall>::kind();

}  // namespace sockdrill::behaviors
