// pool_fixed's housekeeping: evicts idle connections by age and as soon as the server hangs up.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "pool.hpp"

namespace pool {
namespace {

// An idle connection has nothing to say. When poll() reports it readable (or hung up, or in
// error), reading tells why: 0 is the server's FIN (our socket is in CLOSE_WAIT until we close
// it), data is a reply nobody asked for, and an error is a reset. Each makes it unusable.
bool server_hung_up(int fd) {
  pollfd p{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) != 1) return false;
  char byte;
  ssize_t n = ::recv(fd, &byte, 1, MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;  // nothing after all
  return true;  // n == 0: the FIN; n > 0: unsolicited data; n < 0: a reset or another error
}

}  // namespace

void Pool::evict_idle() {
  auto now = std::chrono::steady_clock::now();
  std::erase_if(idle_, [&](const Idle& c) {
    if (now - c.since < max_idle_ && !server_hung_up(c.fd)) return false;
    ::close(c.fd);
    return true;
  });
}

}  // namespace pool
