// Sticky signals that coroutines wait on: the start of the case and the timeline's cues.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <list>
#include <map>
#include <string>

namespace sockdrill::behaviors {

namespace asio = boost::asio;

// Opens once and stays open: a wait that starts after open() returns at once.
class Gate {
 public:
  void open();
  bool is_open() const { return open_; }
  asio::awaitable<void> wait();

 private:
  bool open_ = false;
  std::list<asio::steady_timer*> waiters_;  // each waiter's timer; cancelling it wakes it
};

// Named gates: a cue given earlier releases later waits on it at once.
class CueBoard {
 public:
  void give(const std::string& name) { gates_[name].open(); }
  bool given(const std::string& name) const {
    auto it = gates_.find(name);
    return it != gates_.end() && it->second.is_open();
  }
  asio::awaitable<void> wait(const std::string& name) { return gates_[name].wait(); }

 private:
  std::map<std::string, Gate> gates_;  // std::map: gates stay put while others are added
};

}  // namespace sockdrill::behaviors
