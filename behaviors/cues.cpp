// Gates: many waiters, one opening.
#include "behaviors/cues.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sockdrill::behaviors {

void Gate::open() {
  if (open_) return;
  open_ = true;
  // Waiters wake later, from the executor; they must not erase from the list then.
  for (auto* timer : waiters_) timer->cancel();
  waiters_.clear();
}

asio::awaitable<void> Gate::wait() {
  if (open_) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           asio::steady_timer::time_point::max());
  auto it = waiters_.insert(waiters_.end(), &timer);
  // Removes the entry however this frame ends (also when destroyed while waiting).
  struct Unlist {
    Gate& gate;
    std::list<asio::steady_timer*>::iterator it;
    ~Unlist() {
      if (!gate.open_) gate.waiters_.erase(it);
    }
  } unlist{*this, it};
  // Bounded: the timer never expires on its own, so only open() (or shutdown) ends this.
  while (!open_) co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace sockdrill::behaviors
