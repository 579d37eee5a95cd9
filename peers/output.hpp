// The peer's stdout: protocol lines (protocol/peer_messages.hpp), whole and in order.
#pragma once
#include <boost/asio/io_context.hpp>
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
  // From now on the lines written in one pass of `io`'s queue go out together, in one write()
  // after it: a peer of thousands of connections would otherwise make a system call, and wake
  // the runner, per line. Order and stamps are unchanged.
  void batch_on(boost::asio::io_context& io) { io_ = &io; }
  void emit(const behaviors::Event& e) override;
  void ready() { write(protocol::Ready{}); }
  // Written at once, whatever is batched: the runner must know the endpoint before listen()
  // makes the socket visible, or the observer could credit the socket to an older claim.
  void bound(const std::string& address, int port);
  void synced(std::uint64_t id);
  // Sync answered for several processes (peers/shards.hpp): the earliest of their stamps.
  void synced_at(std::uint64_t id, std::int64_t t_ns) { write(protocol::Synced{id, t_ns}); }
  // A line another process of this peer wrote (without its newline), copied whole.
  void relay(const std::string& line) { write_text(line + "\n"); }
  // A limit of the machine (descriptors): the runner ends the case as error (limit).
  void limit(const std::string& message) { write(protocol::Limit{message}); }
  // {"type":"fatal"} then exit 70 (protocol::kFatalExitCode).
  [[noreturn]] void fatal(const std::string& message);

 private:
  // Writes the line and a newline; a closed stdout means the runner is gone, so the peer exits.
  void write(const protocol::PeerMessage& message);
  void write_text(const std::string& text);
  // After text was added to the batch: flush a full one, or have the loop flush it after this pass.
  void after_append(bool was_empty);
  void write_at_once(const protocol::PeerMessage& message);  // after what is batched
  void flush();
  void write_now(const char* data, std::size_t size);
  int fd_;
  boost::asio::io_context* io_ = nullptr;
  std::string pending_;
};

}  // namespace sockdrill::peer
