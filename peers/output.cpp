// Writing protocol lines without stdio buffering.
#include "peers/output.hpp"

#include <unistd.h>

#include <cerrno>

#include "common/clock.hpp"

namespace sockdrill::peer {

void LineWriter::emit(const behaviors::Event& e) {
  if (e.t_ns != 0) return write(e);
  behaviors::Event stamped = e;
  stamped.t_ns = monotonic_ns();
  write(stamped);
}

void LineWriter::synced(std::uint64_t id) { write(protocol::Synced{id, monotonic_ns()}); }

void LineWriter::write(const protocol::PeerMessage& message) {
  std::string text = protocol::to_line(message);
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
  write(protocol::Fatal{message});
  _exit(protocol::kFatalExitCode);
}

}  // namespace sockdrill::peer
