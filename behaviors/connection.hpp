// One live TCP connection as steps see it: the socket itself, its index, and how it ends.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "behaviors/cues.hpp"
#include "behaviors/events.hpp"

namespace sockdrill::behaviors {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Peer-side state that options change besides the kernel's: what close() will do and the
// default read timeout of recv steps.
struct SocketSettings {
  std::optional<int> linger_s;  // SO_LINGER as last set by us; nullopt = off (the default)
  std::optional<std::int64_t> recv_timeout_ms;
};

class Connection {
 public:
  // Takes ownership of `fd`, an open non-blocking TCP socket (connected, or about to connect).
  Connection(asio::any_io_executor ex, int fd, int index, EventSink& events, CueBoard& cues);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  int fd() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }
  int index() const { return index_; }
  // The step now running (stamped on events), or -1 outside steps.
  int step = -1;
  SocketSettings settings;
  EventSink& events;
  CueBoard& cues;

  // Emits `e` with this connection's index and the current step filled in.
  void emit(Event e);
  void emit_error(int err, std::string detail);
  // Bytes moved by one read or write ("bytes_received" / "bytes_sent"): what `bytes`
  // expectations count, so they see data as it moves, not only when a step ends.
  void emit_progress(const char* kind, std::int64_t bytes);

  // Waits until the socket is readable/writable; false when `deadline` passed first.
  asio::awaitable<bool> wait(tcp::socket::wait_type what,
                             std::optional<std::chrono::steady_clock::time_point> deadline);

  // close(2) as the socket is set up now; emits `closed` ("close", "abort" or "linger"). With
  // SO_LINGER on and a time > 0 the kernel blocks in close(), so that runs on its own thread
  // and `closed` follows when it returns.
  void close();
  // SO_LINGER {1, seconds} then close().
  void close_with_linger(int seconds);
  // SO_LINGER {1, 0} then close(): the kernel sends RST.
  void abort() { close_with_linger(0); }
  // Keeps the socket open, untouched, until the process ends.
  void hold();
  int held_fd() const { return held_fd_; }  // for tests: the descriptor hold() kept

 private:
  tcp::socket waiter_;  // Asio only waits for readiness; every socket call is ours
  int fd_ = -1;
  int held_fd_ = -1;
  int index_;
  // Gives the descriptor back from Asio without any call on the socket.
  int release();
};

}  // namespace sockdrill::behaviors
