// Entering the network namespace a path names (/proc/PID/ns/net, /run/netns/NAME), without
// root when the user owns it: through its owning user namespace.
#pragma once
#include <string>

namespace sockdrill::field {

// Moves the calling (single-threaded) process into the namespace. Throws std::runtime_error
// saying what failed and why.
void enter_netns(const std::string& path);

}  // namespace sockdrill::field
