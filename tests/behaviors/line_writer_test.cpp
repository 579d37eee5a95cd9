// The peer's line writer: lines gathered over one pass of the event loop, except those whose
// moment matters to the runner.
#include "peers/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <limits>
#include <string>
#include <vector>

#include "protocol/event.hpp"

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

// The event line written without a Json is the text the protocol's serializer writes, for every
// shape of event: which fields are set, numbers at their limits, strings that need escaping or
// are not UTF-8.
TEST(EventLine, IsExactlyWhatTheSerializerWrites) {
  std::vector<protocol::Event> events;
  protocol::Event plain;
  plain.kind = "bytes_received";
  plain.conn = 7;
  plain.step = 2;
  plain.bytes = 65536;
  events.push_back(plain);
  protocol::Event bare;
  bare.kind = "listening";
  events.push_back(bare);
  protocol::Event full;
  full.kind = "connect_failed";
  full.conn = -1;
  full.step = 0;
  full.bytes = std::numeric_limits<std::int64_t>::max();
  full.err = ECONNREFUSED;
  full.local = "[fd00:5d::1]:40000";
  full.remote = "127.0.0.1:8080";
  full.detail = "connect (to \"the proxy's\" destination)\\path\ttab\x01";
  events.push_back(full);
  protocol::Event odd;
  odd.kind = "error";
  odd.err = 4095;  // no name: "E4095"
  odd.detail = std::string("not utf-8: \xff\xfe and \xc3\xa9 and \x7f");
  odd.bytes = std::numeric_limits<std::int64_t>::min();
  events.push_back(odd);
  for (std::int64_t t : {std::int64_t{1}, std::int64_t{1'733'000'000'123'456'789}}) {
    for (protocol::Event e : events) {
      e.t_ns = t;
      std::string fast;
      protocol::append_line(e, t, fast);
      EXPECT_EQ(fast, protocol::to_line(e) + "\n");
    }
  }
}

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
