// Opening a descriptor as if the calling thread lacked CAP_NET_ADMIN.
#pragma once
#include <functional>

namespace sockdrill {

// Runs `open` with CAP_NET_ADMIN out of the calling thread's effective capabilities, then puts it
// back, and returns what `open` returned. The kernel keeps the credentials a socket was opened
// with: a sock_diag socket opened so gets dumps without the attributes only an administrator is
// sent (each socket's mark, and its MD5 and ULP information, which cost the kernel more reads per
// socket), provided its requests go out with send() and no address (with an address the kernel
// checks the sending thread instead). A thread without CAP_NET_ADMIN runs `open` as it is.
// Throws std::system_error when the capability cannot be put back.
int open_without_net_admin(const std::function<int()>& open);

}  // namespace sockdrill
