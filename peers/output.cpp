// Writing protocol lines: at once, or gathered over one pass of the event loop.
#include "peers/output.hpp"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>

#include "common/clock.hpp"

namespace sockdrill::peer {

namespace {
constexpr std::size_t kFlushAt = 64 * 1024;  // a pipe's default capacity
}  // namespace

void LineWriter::emit(const behaviors::Event& e) {
  const std::int64_t t_ns = e.t_ns != 0 ? e.t_ns : monotonic_ns();
  if (!io_) {
    std::string line;
    protocol::append_line(e, t_ns, line);
    return write_now(line.data(), line.size());
  }
  // Straight into the batch: events are most of what a peer writes (two a read in a relay).
  const bool first = pending_.empty();
  protocol::append_line(e, t_ns, pending_);
  after_append(first);
}

void LineWriter::bound(const std::string& address, int port) { write_at_once(protocol::Bound{address, port}); }

void LineWriter::write_at_once(const protocol::PeerMessage& message) {
  flush();
  const std::string line = protocol::to_line(message) + "\n";
  write_now(line.data(), line.size());
}

void LineWriter::synced(std::uint64_t id) { write(protocol::Synced{id, monotonic_ns()}); }

void LineWriter::write(const protocol::PeerMessage& message) {
  std::string text = protocol::to_line(message);
  text += '\n';
  write_text(text);
}

void LineWriter::write_text(const std::string& text) {
  if (!io_) return write_now(text.data(), text.size());
  const bool first = pending_.empty();
  pending_ += text;
  after_append(first);
}

void LineWriter::after_append(bool was_empty) {
  if (pending_.size() >= kFlushAt) flush();
  else if (was_empty) boost::asio::post(*io_, [this] { flush(); });
}

void LineWriter::flush() {
  if (pending_.empty()) return;
  write_now(pending_.data(), pending_.size());
  pending_.clear();
}

void LineWriter::write_now(const char* data, std::size_t size) {
  std::size_t done = 0;
  // Bounded: every pass writes at least one byte or ends the process.
  while (done < size) {
    ssize_t n = ::write(fd_, data + done, size - done);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR)
      continue;
    else
      _exit(0);  // the runner closed our stdout: nobody is left to act for
  }
}

void LineWriter::fatal(const std::string& message) {
  write_at_once(protocol::Fatal{message});  // before _exit: there is no later pass
  _exit(protocol::kFatalExitCode);
}

}  // namespace sockdrill::peer
