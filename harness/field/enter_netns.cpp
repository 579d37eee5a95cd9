// Entering a network namespace by path, through its user namespace when not privileged.
#include "harness/field/enter_netns.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sockdrill::field {
namespace {

std::string why(int err) { return std::strerror(err); }

bool same_namespace(int a, int b) {
  struct stat sa {}, sb {};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace

void enter_netns(const std::string& path) {
  const int net = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (net < 0) throw std::runtime_error("--netns " + path + ": cannot open it: " + why(errno));
  if (::setns(net, CLONE_NEWNET) == 0) {
    ::close(net);
    return;
  }
  const int direct = errno;
  if (direct != EPERM) {
    ::close(net);
    throw std::runtime_error("--netns " + path + ": not a network namespace (" + why(direct) + ")");
  }
  // Not privileged over it: enter the user namespace that owns it first (its owner has every
  // capability there), then the network namespace.
  const int user = ::ioctl(net, NS_GET_USERNS);
  const int own_user = ::open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
  const bool already = user >= 0 && own_user >= 0 && same_namespace(user, own_user);
  if (own_user >= 0) ::close(own_user);
  if (user < 0 || already || ::setns(user, CLONE_NEWUSER) != 0) {
    const int err = user < 0 ? errno : already ? EPERM : errno;
    if (user >= 0) ::close(user);
    ::close(net);
    throw std::runtime_error("--netns " + path + ": not allowed to enter it (" + why(direct) +
                             "), nor the user namespace that owns it (" + why(err) +
                             "): run as root, or as the user who made it");
  }
  ::close(user);
  if (::setns(net, CLONE_NEWNET) != 0) {
    const int err = errno;
    ::close(net);
    throw std::runtime_error("--netns " + path + ": entered its user namespace, then could not enter it: " + why(err));
  }
  ::close(net);
}

}  // namespace sockdrill::field
