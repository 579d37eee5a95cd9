// pool_leaky's housekeeping: evicts idle connections by age only (the bug this example is about).
#include <unistd.h>

#include <vector>

#include "pool.hpp"

namespace pool {

// Never looks at the socket: when the server closes an idle connection, its FIN is acknowledged
// by the kernel and our socket sits in CLOSE_WAIT, pooled, until a request reuses it (and fails)
// or it ages out.
void Pool::evict_idle() {
  auto now = std::chrono::steady_clock::now();
  std::erase_if(idle_, [&](const Idle& c) {
    if (now - c.since < max_idle_) return false;
    ::close(c.fd);
    return true;
  });
}

}  // namespace pool
