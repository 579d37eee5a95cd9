// The peer's stdout: one JSON object per line, each written with one write(2) at once.
#pragma once
#include <string>

#include "behaviors/events.hpp"
#include "common/json.hpp"

namespace sockdrill::peer {

class LineWriter : public behaviors::EventSink {
 public:
  explicit LineWriter(int fd) : fd_(fd) {}
  // Writes `line` and a newline; a closed stdout means the runner is gone, so the peer exits.
  void write(const Json& line);
  void emit(const behaviors::Event& e) override { write(behaviors::event_to_json(e)); }
  void ready() { write(Json{{"type", "ready"}}); }
  void bound(const std::string& address, int port) {
    write(Json{{"type", "bound"}, {"address", address}, {"port", port}});
  }
  // {"type":"fatal"} then exit 70 (protocol::kFatalExitCode).
  [[noreturn]] void fatal(const std::string& message);

 private:
  int fd_;
};

}  // namespace sockdrill::peer
