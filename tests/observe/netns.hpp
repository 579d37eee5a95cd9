// Test-only: moves the test process into a fresh network namespace with loopback up.
#pragma once

namespace sockdrill::testing {

// Unshares a new network namespace for the calling process (as root directly; otherwise inside
// a user namespace made on the first call, which needs a single-threaded process) and brings
// "lo" up, so a test sees only its own sockets. Throws std::system_error on failure.
void enter_fresh_netns();

}  // namespace sockdrill::testing
