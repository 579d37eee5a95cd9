// Test-only: a fresh network namespace per test, made with unshare(2), loopback brought up.
#include "tests/observe/netns.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace sockdrill::testing {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), "enter_fresh_netns: " + what);
}

void write_file(const char* path, const std::string& text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail(std::string("open ") + path);
  ssize_t n = write(fd, text.data(), text.size());
  int saved = errno;
  close(fd);
  errno = saved;
  if (n != static_cast<ssize_t>(text.size())) fail(std::string("write \"") + text + "\" to " + path);
}

// Not root: become root of a new user namespace once, which then may make network namespaces.
void become_namespace_root_once() {
  static bool done = false;
  if (done || geteuid() == 0) return;
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  if (unshare(CLONE_NEWUSER) != 0) fail("unshare(CLONE_NEWUSER) (needs a single-threaded process)");
  write_file("/proc/self/setgroups", "deny");
  write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
  write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
  done = true;
}

}  // namespace

void enter_fresh_netns() {
  become_namespace_root_once();
  if (unshare(CLONE_NEWNET) != 0) fail("unshare(CLONE_NEWNET)");

  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket for SIOCSIFFLAGS");
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(fd, SIOCGIFFLAGS, &request) != 0) {
    close(fd);
    fail("SIOCGIFFLAGS on lo");
  }
  request.ifr_flags |= IFF_UP;
  if (ioctl(fd, SIOCSIFFLAGS, &request) != 0) {
    close(fd);
    fail("SIOCSIFFLAGS IFF_UP on lo");
  }
  close(fd);
}

}  // namespace sockdrill::testing
