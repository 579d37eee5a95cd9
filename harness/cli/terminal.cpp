// The controller's terminal lines: written so that no stdout can stop or corrupt a run.
#include "harness/cli/terminal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

namespace sockdrill {
namespace {
constexpr int kWaitForRoomMs = 5000;
bool g_stdout_given_up = false;
}  // namespace

void keep_standard_descriptors_open() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int null = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (null >= 0 && null != fd) {  // the lowest free descriptor is `fd` itself
      ::dup2(null, fd);
      ::close(null);
    }
  }
}

void write_terminal(std::string_view text) {
  if (g_stdout_given_up) return;
  std::size_t done = 0;
  while (done < text.size()) {
    // POLLOUT on a pipe means room for PIPE_BUF bytes: a write of that much does not block.
    pollfd out{STDOUT_FILENO, POLLOUT, 0};
    const int ready = ::poll(&out, 1, kWaitForRoomMs);
    if (ready < 0 && errno == EINTR) continue;
    ssize_t n = -1;
    if (ready == 1 && (out.revents & POLLOUT))
      n = ::write(STDOUT_FILENO, text.data() + done, std::min<std::size_t>(text.size() - done, PIPE_BUF));
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    g_stdout_given_up = true;
    const std::string why = ready == 0 ? "nobody reads it" : n < 0 ? std::strerror(errno) : "it is closed";
    std::fprintf(stderr, "sockdrill: stdout does not take the terminal lines (%s); the run goes on "
                         "and its reports are written as asked\n",
                 why.c_str());
    return;
  }
}

}  // namespace sockdrill
