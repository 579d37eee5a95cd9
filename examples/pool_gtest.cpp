// GoogleTest tests of the pool: leaky_gtest's leak fails its test, leaky_guarded's fails its run.
//
// Built four times: leaky_gtest and fixed_gtest under sockdrill::gtest_main (the leak check
// fails the test after which a pooled socket sits in CLOSE_WAIT, though no assertion looks at
// sockets), leaky_guarded and fixed_guarded under plain GoogleTest, run by ctest through
// `sockdrill guard` (sockdrill_guard_tests), which fails the whole run.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <thread>

#include "pool.hpp"

namespace {

using std::chrono::milliseconds;

// A server on 127.0.0.1 for one connection: answers one line with "PONG", then closes the
// connection once it has been idle for `idle_timeout`, as servers do with keep-alive connections.
class OneShotServer {
 public:
  explicit OneShotServer(milliseconds idle_timeout) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 1) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("OneShotServer: cannot listen on 127.0.0.1");
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, idle_timeout] { serve(idle_timeout); });
  }
  ~OneShotServer() {
    thread_.join();
    ::close(listener_);
  }
  std::uint16_t port() const { return port_; }

 private:
  void serve(milliseconds idle_timeout) {
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) return;
    for (char c = 0; c != '\n' && ::read(connection, &c, 1) == 1;) {
    }
    ::send(connection, "PONG\n", 5, MSG_NOSIGNAL);
    pollfd idle{connection, POLLIN, 0};
    ::poll(&idle, 1, static_cast<int>(idle_timeout.count()));  // the client's next request or EOF
    ::close(connection);
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST(Pool, AnswersARequest) {
  OneShotServer server(milliseconds(1000));
  pool::Pool pool("127.0.0.1", server.port(), std::chrono::seconds(30));
  EXPECT_EQ(pool.request("PING\n"), "PONG");
}  // the pool closes its connection; the server sees the EOF and closes too

// The program's pool outlives each request, and here each test: whatever a test leaves in it is
// still held after the test, as it would be in the running program.
class SharedPool : public ::testing::Test {
 protected:
  static void TearDownTestSuite() { pool_.reset(); }
  static std::unique_ptr<pool::Pool> pool_;
};
std::unique_ptr<pool::Pool> SharedPool::pool_;

TEST_F(SharedPool, ServerClosesAnIdleConnection) {
  OneShotServer server(milliseconds(100));
  pool_ = std::make_unique<pool::Pool>("127.0.0.1", server.port(), std::chrono::seconds(30));
  EXPECT_EQ(pool_->request("PING\n"), "PONG");
  // The program idles with its housekeeping running; the server closes the idle connection.
  // 1.5 s: under `sockdrill guard` (no listener) the CLOSE_WAIT must outlast guard's settle time.
  for (int tick = 0; tick < 30; ++tick) {
    std::this_thread::sleep_for(milliseconds(50));
    pool_->evict_idle();
  }
}  // pool_leaky still holds the connection, in CLOSE_WAIT: the leak check fails this test

}  // namespace
