// Opening a descriptor with CAP_NET_ADMIN out of the calling thread's effective set.
#include "harness/observe/without_net_admin.hpp"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace sockdrill {
namespace {

// capget/capset through syscall(): the capabilities of this thread only, and no libcap.
bool get_caps(__user_cap_data_struct (&data)[2]) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  return ::syscall(SYS_capget, &header, data) == 0;
}
bool set_caps(__user_cap_data_struct (&data)[2]) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  return ::syscall(SYS_capset, &header, data) == 0;
}

}  // namespace

int open_without_net_admin(const std::function<int()>& open) {
  static_assert(CAP_NET_ADMIN < 32, "CAP_NET_ADMIN is in the first word of the capability sets");
  constexpr unsigned kBit = 1u << CAP_NET_ADMIN;
  __user_cap_data_struct saved[2]{};
  if (!get_caps(saved) || (saved[0].effective & kBit) == 0) return open();
  __user_cap_data_struct dropped[2] = {saved[0], saved[1]};
  dropped[0].effective &= ~kBit;
  if (!set_caps(dropped)) return open();  // kept: the dumps are only larger
  const int fd = open();
  const int open_errno = errno;
  if (!set_caps(saved))
    throw std::system_error(errno, std::generic_category(),
                            "capset: putting CAP_NET_ADMIN back into the thread's effective set");
  errno = open_errno;
  return fd;
}

}  // namespace sockdrill
