// A program using the pool: one request, then 1.5 s idle with the pool's housekeeping running.
// Built twice: leaky_client (pool_leaky) and fixed_client (pool_fixed). Usage: CLIENT ADDRESS PORT
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <thread>

#include "pool.hpp"

int main(int argc, char** argv) {
  std::uint16_t port = 0;
  if (argc != 3 || std::from_chars(argv[2], argv[2] + std::strlen(argv[2]), port).ec != std::errc{}) {
    std::cerr << "usage: " << argv[0] << " ADDRESS PORT\n";
    return 2;
  }
  try {
    pool::Pool pool(argv[1], port, std::chrono::seconds(30));
    std::cout << "reply: " << pool.request("PING\n") << std::endl;
    // Between bursts of work, as a real client: the pooled connection waits for the next request.
    for (int tick = 0; tick < 15; ++tick) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      pool.evict_idle();
    }
    std::cout << "idle pooled connections: " << pool.idle_count() << std::endl;
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}
