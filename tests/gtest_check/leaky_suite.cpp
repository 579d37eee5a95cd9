// A GoogleTest suite under sockdrill::gtest_main with one leaky test, run by leak_check_suite_test.
//
// Leaks.CloseWaitLeak leaks a CLOSE_WAIT socket, Strict.* leaves a connection open (a leak in
// strict mode only), and every other test must pass. Not a ctest of its own: it fails by design.
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/observe/test_sockets.hpp"

namespace {

using sockdrill::testing::accept_one;
using sockdrill::testing::connect_to;
using sockdrill::testing::Fd;
using sockdrill::testing::listen_on;
using sockdrill::testing::local_port;

// Descriptors held until the process exits, as a long-lived pool or cache holds them.
std::vector<Fd>& held_forever() {
  static std::vector<Fd> held;
  return held;
}

std::string endpoint_of(int fd) {
  return "127.0.0.1:" + std::to_string(local_port(fd));
}

// A loopback connection whose server side has closed: the client's socket, once the server's FIN
// has arrived (in CLOSE_WAIT). The listener and the server's socket are closed.
Fd client_of_closed_connection(std::string& server_endpoint) {
  Fd listener = listen_on("127.0.0.1", 4);
  server_endpoint = endpoint_of(listener.get());
  Fd client = connect_to("127.0.0.1", local_port(listener.get()));
  accept_one(listener.get()).reset();
  pollfd hangup{client.get(), POLLRDHUP, 0};
  if (::poll(&hangup, 1, 5000) != 1) ADD_FAILURE() << "the server's FIN did not arrive within 5 s";
  return client;
}

TEST(Leaks, CloseWaitLeak) {
  std::string server;
  Fd client = client_of_closed_connection(server);
  // For the outside check: the socket the failure must name.
  RecordProperty("leaked_fd", client.get());
  RecordProperty("leaked_socket", endpoint_of(client.get()) + " -> " + server);
  held_forever().push_back(std::move(client));  // never closed: the leak
}

// Runs after the leak, which is still in CLOSE_WAIT: it must not be reported again here.
TEST(Leaks, ClosedConnectionIsClean) {
  std::string server;
  Fd client = client_of_closed_connection(server);
  client.reset();
}

// In CLOSE_WAIT when the test ends, closed 200 ms later by a thread: within the settle time.
TEST(Leaks, ClosedInTheBackgroundWithinSettleTime) {
  std::string server;
  std::thread([client = client_of_closed_connection(server)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    client.reset();
  }).detach();
}

// Both ends of an established connection kept open: a leak in strict mode only (2 sockets).
TEST(Strict, LeavesAConnectionOpen) {
  Fd listener = listen_on("127.0.0.1", 4);
  Fd client = connect_to("127.0.0.1", local_port(listener.get()));
  Fd server = accept_one(listener.get());
  RecordProperty("open_sockets", 2);
  held_forever().push_back(std::move(client));
  held_forever().push_back(std::move(server));
}

}  // namespace
