// A tiny client connection pool: one request and one reply line per call, connections kept for reuse.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pool {

class Pool {
 public:
  // `address` is an IPv4 or IPv6 literal; idle connections older than `max_idle` are closed.
  Pool(std::string address, std::uint16_t port, std::chrono::milliseconds max_idle);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Sends `line` and returns the reply up to its newline, over an idle pooled connection or a
  // new one, which goes back to the pool afterwards. Throws std::runtime_error on failure.
  std::string request(const std::string& line);

  // Housekeeping the application calls regularly: closes the idle connections that must go.
  // pool_leaky and pool_fixed differ only here (evict_leaky.cpp, evict_fixed.cpp).
  void evict_idle();

  std::size_t idle_count() const { return idle_.size(); }

 private:
  struct Idle {
    int fd;
    std::chrono::steady_clock::time_point since;
  };

  int connect_new() const;

  std::string address_;
  std::uint16_t port_;
  std::chrono::milliseconds max_idle_;
  std::vector<Idle> idle_;
};

}  // namespace pool
