// The peer's stdout: protocol lines (protocol/peer_messages.hpp), each written at once.
#pragma once
#include <string>

#include "behaviors/events.hpp"
#include "protocol/peer_messages.hpp"

namespace sockdrill::peer {

// Every line is written from the event loop's thread, in the order things happened there: an
// event stamped 0 is stamped as it is written, and a `synced` answer carries the time it is
// written, so no event written after it can have an earlier stamp.
class LineWriter : public behaviors::EventSink {
 public:
  explicit LineWriter(int fd) : fd_(fd) {}
  void emit(const behaviors::Event& e) override;
  void ready() { write(protocol::Ready{}); }
  void bound(const std::string& address, int port) { write(protocol::Bound{address, port}); }
  void synced(std::uint64_t id);
  // A limit of the machine (descriptors): the runner ends the case as error (limit).
  void limit(const std::string& message) { write(protocol::Limit{message}); }
  // {"type":"fatal"} then exit 70 (protocol::kFatalExitCode).
  [[noreturn]] void fatal(const std::string& message);

 private:
  // Writes the line and a newline; a closed stdout means the runner is gone, so the peer exits.
  void write(const protocol::PeerMessage& message);
  int fd_;
};

}  // namespace sockdrill::peer
