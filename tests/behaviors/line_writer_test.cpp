// The peer's line writer: lines gathered over one pass of the event loop, except those whose
// moment matters to the runner.
#include "peers/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>

namespace sockdrill::peer {
namespace {

// What the pipe holds now, without waiting.
std::string drain(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

struct Pipe {
  int fds[2];
  Pipe() { EXPECT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0); }
  ~Pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
};

TEST(LineWriter, LinesOfOnePassGoOutTogetherWhenThePassEnds) {
  Pipe p;
  boost::asio::io_context io;
  LineWriter out(p.fds[1]);
  out.batch_on(io);
  out.ready();
  out.limit("x");
  EXPECT_EQ(drain(p.fds[0]), "") << "nothing before the pass ends";
  io.run();
  EXPECT_EQ(drain(p.fds[0]), "{\"type\":\"ready\"}\n{\"type\":\"limit\",\"message\":\"x\"}\n");
}

// `bound` is written before listen(): the runner must have it before the socket can be seen, or
// an older claim on the port (a killed server's) takes the new listener
// (cases/reuseaddr/rebind_both failed so in the ASan run).
TEST(LineWriter, BoundGoesOutAtOnceAfterWhatCameBefore) {
  Pipe p;
  boost::asio::io_context io;
  LineWriter out(p.fds[1]);
  out.batch_on(io);
  out.ready();
  out.bound("127.0.0.1", 80);
  EXPECT_EQ(drain(p.fds[0]),
            "{\"type\":\"ready\"}\n{\"type\":\"bound\",\"address\":\"127.0.0.1\",\"port\":80}\n");
  io.run();
  EXPECT_EQ(drain(p.fds[0]), "");
}

}  // namespace
}  // namespace sockdrill::peer
