// A bound on how many connects a peer has under way at once.
#include "peers/in_flight.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sockdrill::peer {

namespace asio = boost::asio;

asio::awaitable<void> InFlight::acquire() {
  if (taken_ < limit_) {
    ++taken_;
    co_return;
  }
  asio::steady_timer timer(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
  auto me = waiters_.insert(waiters_.end(), &timer);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  // Woken by release(), which handed its place over (taken_ unchanged); otherwise we were
  // cancelled with the loop and still listed.
  if (std::find(waiters_.begin(), waiters_.end(), &timer) != waiters_.end()) waiters_.erase(me);
}

void InFlight::release() {
  if (!waiters_.empty()) {
    waiters_.front()->cancel();
    waiters_.pop_front();
    return;
  }
  if (taken_ > 0) --taken_;
}

}  // namespace sockdrill::peer
