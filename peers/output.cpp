// Writing protocol lines without stdio buffering.
#include "peers/output.hpp"

#include <unistd.h>

#include <cerrno>

#include "common/protocol.hpp"

namespace sockdrill::peer {

void LineWriter::write(const Json& line) {
  // replace: a stray invalid UTF-8 byte in a detail must not turn into an exception.
  std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace);
  text += '\n';
  std::size_t done = 0;
  // Bounded: every pass writes at least one byte or ends the process.
  while (done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR)
      continue;
    else
      _exit(0);  // the runner closed our stdout: nobody is left to act for
  }
}

void LineWriter::fatal(const std::string& message) {
  write(Json{{"type", "fatal"}, {"message", message}});
  _exit(protocol::kFatalExitCode);
}

}  // namespace sockdrill::peer
