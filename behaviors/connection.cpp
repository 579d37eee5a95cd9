// Connections: readiness waits and the three ways a connection ends (close, abort, hold).
#include "behaviors/connection.hpp"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <stdexcept>

#include "common/clock.hpp"

namespace sockdrill::behaviors {

namespace {

tcp protocol_of(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  return ss.ss_family == AF_INET6 ? tcp::v6() : tcp::v4();
}

// A lingering close blocks for up to linger_s seconds: one small thread per such close.
struct LingerClose {
  int fd;
  Event closed;
  EventSink* events;
  asio::executor_work_guard<asio::any_io_executor> work;
};

void* linger_close_thread(void* arg) {
  auto* job = static_cast<LingerClose*>(arg);
  ::close(job->fd);
  auto ex = job->work.get_executor();
  asio::post(ex, [job] {
    // Stamped on the event loop as it is written, not on this thread: a peer's stamps must grow
    // in the order it writes them, so that its answers to sync requests are true watermarks.
    job->closed.t_ns = monotonic_ns();
    job->events->emit(job->closed);
    delete job;  // also releases the work guard that kept the event loop alive for this
  });
  return nullptr;
}

void start_linger_close(LingerClose* job) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, linger_close_thread, job);
  pthread_attr_destroy(&attr);
  if (rc != 0) {  // maybe the small stack: try once with the defaults
    rc = pthread_create(&thread, nullptr, linger_close_thread, job);
    if (rc == 0) pthread_detach(thread);
  }
  if (rc != 0) linger_close_thread(job);  // no thread to be had: block here rather than lose it
}

}  // namespace

Connection::Connection(asio::any_io_executor ex, int fd, int index, EventSink& events_,
                       CueBoard& cues_)
    : events(events_), cues(cues_), waiter_(ex), fd_(fd), index_(index) {
  boost::system::error_code ec;
  waiter_.assign(protocol_of(fd), fd, ec);
  if (ec)
    throw std::runtime_error("cannot watch socket " + std::to_string(fd) + ": " + ec.message());
}

Connection::~Connection() {
  // A connection dropped without close/hold (event loop shut down): plain close, no event.
  if (fd_ >= 0) ::close(release());
}

int Connection::release() {
  boost::system::error_code ec;
  waiter_.release(ec);  // deregisters from epoll only; the socket itself is not touched
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void Connection::emit(Event e) {
  if (e.t_ns == 0) e.t_ns = monotonic_ns();
  e.conn = index_;
  if (step >= 0 && !e.step) e.step = step;
  events.emit(e);
}

void Connection::emit_progress(const char* kind, std::int64_t bytes) {
  Event e;
  e.kind = kind;
  e.bytes = bytes;
  emit(std::move(e));
}

void Connection::emit_error(int err, std::string detail) {
  Event e;
  e.kind = "error";
  e.err = err;
  e.detail = std::move(detail);
  emit(std::move(e));
}

asio::awaitable<bool> Connection::wait(
    tcp::socket::wait_type what, std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (!deadline) {
    co_await waiter_.async_wait(what, asio::as_tuple(asio::use_awaitable));
    co_return true;  // an error shows in the next socket call, which reports it
  }
  asio::steady_timer timer(waiter_.get_executor(), *deadline);
  auto [order, ready_ec, timer_ec] =
      co_await asio::experimental::make_parallel_group(waiter_.async_wait(what, asio::deferred),
                                                       timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  co_return order[0] == 0;
}

void Connection::close() {
  if (fd_ < 0) return;
  Event e;
  e.kind = "closed";
  e.conn = index_;
  if (step >= 0) e.step = step;
  e.detail = !settings.linger_s ? "close" : *settings.linger_s == 0 ? "abort" : "linger";
  int fd = release();
  if (settings.linger_s && *settings.linger_s > 0) {
    start_linger_close(
        new LingerClose{fd, std::move(e), &events, asio::make_work_guard(waiter_.get_executor())});
    return;
  }
  ::close(fd);
  e.t_ns = monotonic_ns();
  events.emit(e);
}

void Connection::close_with_linger(int seconds) {
  if (fd_ < 0) return;
  linger l{1, seconds};
  if (::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0)
    emit_error(errno, "setsockopt(SO_LINGER) before close");
  else
    settings.linger_s = seconds;
  close();
}

void Connection::hold() {
  if (fd_ < 0) return;
  held_fd_ = release();  // deliberately never closed: the process end closes it
}

}  // namespace sockdrill::behaviors
