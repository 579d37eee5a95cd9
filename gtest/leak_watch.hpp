// Which sockets one test leaked: the sockets it opened, watched after it until each one settles.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/socket_leak.hpp"
#include "held_sockets.hpp"
#include "sockdrill/leak_check.hpp"

namespace sockdrill::testing::detail {

class LeakWatch {
 public:
  // `source` must outlive the watch.
  LeakWatch(LeakCheckOptions options, HeldSocketSource& source);

  // Notes the sockets held now: they were not opened by the test about to start.
  void test_started();

  // Polls every ~10 ms until each socket the test opened has settled, and returns the leaks:
  // those still in CLOSE_WAIT settle_ms after first seen so and, in strict mode, those still
  // open settle_ms after this call. Sockets held at test_started() are never reported, so a
  // leak is reported on the test that opened it only. Throws std::system_error from the source.
  std::vector<SocketLeak> test_ended();

 private:
  using Clock = std::chrono::steady_clock;
  bool ignored(const SocketRecord& record) const;

  LeakCheckOptions options_;
  HeldSocketSource& source_;
  std::unordered_set<std::uint32_t> before_test_;  // inodes held at test_started()
  Clock::time_point test_start_;
  std::string cmdline_;  // this process's, read once
};

}  // namespace sockdrill::testing::detail
