// Whole strings through pipes: written until done, read until the other end closes.
#include "harness/run/pipe_text.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace sockdrill {

void write_whole(int fd, std::string_view text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n > 0) done += static_cast<std::size_t>(n);
    else if (!(n < 0 && errno == EINTR)) return;
  }
}

std::string read_until_eof(int fd, std::size_t limit) {
  std::string text;
  char buf[512];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    if (text.size() < limit) text.append(buf, std::min(static_cast<std::size_t>(n), limit - text.size()));
  }
  return text;
}

}  // namespace sockdrill
