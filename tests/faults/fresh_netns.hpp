// Test-only: run a test body in a forked child inside a fresh network namespace (loopback up).
#pragma once

#include <functional>
#include <string>

namespace sockdrill::faults_testing {

// Forks; the child enters a new network namespace (as root: unshare(CLONE_NEWNET); otherwise a
// new user namespace first), brings lo up and runs body. Returns "" when body returned, else
// what it threw (or how the child died). The caller's own namespace is never changed, so the
// parent can still look at the host's ruleset.
std::string run_in_fresh_netns(const std::function<void()>& body);

// Inside body: fail with a message (gtest assertions do not cross the fork).
void require(bool condition, const std::string& what);

}  // namespace sockdrill::faults_testing
