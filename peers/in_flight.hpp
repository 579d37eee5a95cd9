// A bound on how many connects a peer has under way at once (a counting semaphore for coroutines).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <list>

namespace sockdrill::peer {

class InFlight {
 public:
  explicit InFlight(std::size_t limit) : limit_(limit) {}
  // Waits for a free place and takes it.
  boost::asio::awaitable<void> acquire();
  // Gives a place back; the longest waiter gets it.
  void release();
  std::size_t taken() const { return taken_; }

 private:
  std::size_t limit_;
  std::size_t taken_ = 0;
  std::list<boost::asio::steady_timer*> waiters_;  // cancelling a waiter's timer wakes it
};

}  // namespace sockdrill::peer
