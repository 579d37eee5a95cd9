// The proxy's relays: per connection two streams (upstream, downstream), each a reader that
// takes what its source sends and a writer that delivers it, shaped by the toxics, in order.
#include "peers/proxy.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <deque>

#include "behaviors/connection.hpp"
#include "common/clock.hpp"
#include "peers/sockets.hpp"

namespace sockdrill::peer {

using behaviors::Connection;
using behaviors::Event;
using behaviors::Piece;
using behaviors::ToxicClock;
using tcp = asio::ip::tcp;

namespace {
constexpr std::size_t kReadChunk = 256 * 1024;
// A stream stops reading its source while this much is queued for its destination: memory stays
// bounded and a slow destination slows the sender, as a real relay would.
constexpr std::size_t kMaxQueued = 1024 * 1024;
// Upstream connects give up after this long (a dropped SYN would otherwise take minutes).
constexpr auto kConnectTimeout = std::chrono::milliseconds(5000);
// How many relays start between two sweeps of `open_` for relays that ended.
constexpr int kForgetEvery = 256;

asio::awaitable<void> sleep_on(asio::steady_timer& t, ToxicClock::time_point until) {
  t.expires_at(until);
  co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}
}  // namespace

class Relay : public std::enable_shared_from_this<Relay> {
 public:
  struct Stream final : behaviors::StreamControl {
    Stream(Relay& r, bool up, asio::any_io_executor ex)
        : relay(r), upstream(up), reader_wake(ex), writer_wake(ex) {}
    Relay& relay;
    const bool upstream;  // client to server
    std::deque<Piece> queue;
    std::size_t queued = 0;  // data bytes in the queue
    std::size_t offset = 0;  // of the front piece, already written
    int paused = 0;
    bool source_done = false;
    bool finished = false;     // the writer delivered (or withheld) the FIN
    bool send_failed = false;  // the destination refused data: nothing more is sent to it
    std::size_t read_in_a_row = 0;  // bytes read since the reader last waited
    // Bytes read from the source, and sent on from the read buffer, not yet reported: one
    // bytes_received and one bytes_sent line per run of reads, written before the reader waits
    // or reports anything else (nothing else runs meanwhile, so no event can come between).
    std::int64_t unreported_read = 0, unreported_sent = 0;
    std::vector<std::pair<std::string, std::unique_ptr<behaviors::Toxic>>> toxics;
    asio::steady_timer reader_wake, writer_wake;  // cancelled to wake their coroutine

    Connection& source() { return upstream ? *relay.client_ : *relay.server_; }
    Connection& destination() { return upstream ? *relay.server_ : *relay.client_; }

    void pause_relaying() override { ++paused; }
    void resume_relaying() override {
      if (paused > 0) --paused;
      reader_wake.cancel();
      writer_wake.cancel();
    }
    void reset_destination() override { relay.reset(destination(), source()); }
    void close_connection() override { relay.close_both(); }
    Handle after(std::chrono::milliseconds delay, std::function<void()> action) override {
      auto timer = std::make_shared<asio::steady_timer>(reader_wake.get_executor(), delay);
      std::weak_ptr<Relay> weak = relay.weak_from_this();
      std::weak_ptr<asio::steady_timer> alive = timer;
      timer->async_wait([weak, alive, action = std::move(action)](boost::system::error_code ec) {
        if (ec || alive.expired()) return;  // removed with its toxic
        auto r = weak.lock();
        if (r && !r->ended_) action();
      });
      return timer;
    }
  };

  Relay(asio::any_io_executor ex, std::unique_ptr<Connection> client, int index,
        std::uint64_t seed, std::vector<char>& buffer)
      : client_(std::move(client)),
        up_(*this, true, ex),
        down_(*this, false, ex),
        index_(index),
        seed_(seed),
        buffer_(buffer) {}

  ~Relay() {
    // A connection that a toxic keeps open keeps its descriptors until the process ends.
    if (held_ && !ended_) {
      if (client_) client_->hold();
      if (server_) server_->hold();
    }
  }

  int index() const { return index_; }
  bool ended() const { return ended_; }
  Connection& client() { return *client_; }
  void set_server(std::unique_ptr<Connection> s) { server_ = std::move(s); }
  bool relaying() const { return server_ != nullptr; }

  void add_toxic(const behaviors::ToxicSpec& spec) {
    if (ended_ || !behaviors::toxic_applies(spec, seed_, index_)) return;
    Stream& s = spec.upstream ? up_ : down_;
    auto seed = behaviors::toxic_seed(seed_, spec.name, index_);
    s.toxics.emplace_back(spec.name, spec.params->make(seed));
    s.toxics.back().second->attach(s);
  }

  void remove_toxic(const std::string& name) {
    for (Stream* s : {&up_, &down_}) {
      for (auto it = s->toxics.begin(); it != s->toxics.end(); ++it) {
        if (it->first != name) continue;
        auto toxic = std::move(it->second);
        s->toxics.erase(it);
        toxic->detach(*s);
        break;
      }
    }
  }

  asio::awaitable<void> read_loop(std::shared_ptr<Relay> self, Stream& s) {
    for (;;) {
      if (ended_ || s.source_done) co_return report_progress(s);
      if (s.paused > 0 || s.queued >= kMaxQueued) {
        report_progress(s);
        co_await sleep_on(s.reader_wake, ToxicClock::time_point::max());
        continue;
      }
      Connection& src = s.source();
      ssize_t n = ::recv(src.fd(), buffer_.data(), buffer_.size(), MSG_DONTWAIT);
      const int read_err = n < 0 ? errno : 0;  // reporting may write, and change errno
      if (n > 0) {
        const auto size = static_cast<std::size_t>(n);
        s.unreported_read += n;
        std::size_t sent = 0;
        // Nothing queued and nothing shaping this stream: the bytes go on at once, from the read
        // buffer, as a plain relay's would (no copy). What the destination does not take now is
        // queued, and the writer delivers it in order.
        if (s.toxics.empty() && s.queue.empty() && s.paused == 0 && !s.send_failed &&
            send_some(s, buffer_.data(), size, sent, Report::with_the_read) != SendResult::sent)
          sent = 0;
        if (sent < size) {
          report_progress(s);  // the writer reports its own sends, after these
          enqueue(s, {Piece::data, std::string(buffer_.data() + sent, size - sent), ToxicClock::now()});
        }
        // A source that never runs dry must not keep the event loop (other connections, the
        // runner's sync requests) waiting: let it run after each kMaxQueued read in one go.
        s.read_in_a_row += size;
        if (s.read_in_a_row >= kMaxQueued) {
          s.read_in_a_row = 0;
          report_progress(s);
          co_await asio::post(s.reader_wake.get_executor(), asio::use_awaitable);
        }
        continue;
      }
      report_progress(s);  // before the reader waits, and before an eof or error of its source
      if (n == 0) {
        Event e = event_now("eof");
        e.detail = s.upstream ? "from the client" : "from the server";
        src.emit(std::move(e));
        s.source_done = true;
        enqueue(s, {Piece::fin, {}, ToxicClock::now()});
        co_return;
      } else if (read_err == EAGAIN || read_err == EWOULDBLOCK) {
        s.read_in_a_row = 0;
        co_await src.wait(tcp::socket::wait_read, std::nullopt);
      } else if (read_err != EINTR) {
        src.emit_error(read_err, s.upstream ? "recv from the client" : "recv from the server");
        s.source_done = true;
        if (!held_) reset(s.destination(), src);  // a reset is relayed as a reset
        co_return;
      }
    }
  }

  asio::awaitable<void> write_loop(std::shared_ptr<Relay> self, Stream& s) {
    for (;;) {
      if (ended_ || s.send_failed) co_return;
      if (s.queue.empty() || s.paused > 0) {
        co_await sleep_on(s.writer_wake, ToxicClock::time_point::max());
        continue;
      }
      Piece& p = s.queue.front();
      if (p.not_before > ToxicClock::now()) {
        co_await sleep_on(s.writer_wake, p.not_before);
        continue;
      }
      Connection& dst = s.destination();
      if (p.kind == Piece::data) {
        std::size_t sent = 0;
        const SendResult result =
            send_some(s, p.bytes.data() + s.offset, p.bytes.size() - s.offset, sent, Report::at_once);
        if (result == SendResult::failed) co_return;
        if (result == SendResult::would_block) {
          co_await dst.wait(tcp::socket::wait_write, std::nullopt);
          continue;
        }
        s.offset += sent;
        if (s.offset == p.bytes.size()) {
          s.queued -= p.bytes.size();
          s.offset = 0;
          s.queue.pop_front();
          s.reader_wake.cancel();
        }
        continue;
      }
      const Piece::Kind kind = p.kind;
      s.queue.pop_front();
      if (kind == Piece::close_connection) {
        close_both();
        co_return;
      }
      if (kind == Piece::hold) held_ = true;
      if (kind == Piece::fin && !held_ && ::shutdown(dst.fd(), SHUT_WR) != 0)
        dst.emit_error(errno, "shutdown(SHUT_WR) relaying a FIN");
      s.finished = true;
      if (up_.finished && down_.finished && !held_) close_both();
      co_return;
    }
  }

  void start_streams(const std::function<void(asio::awaitable<void>)>& spawn) {
    auto self = shared_from_this();
    for (Stream* s : {&up_, &down_}) {
      spawn(read_loop(self, *s));
      spawn(write_loop(self, *s));
    }
  }

  // close() both sides (a toxic, or both FINs relayed). Not a connection that never_close holds:
  // it is never closed, whatever other toxic asks.
  void close_both() {
    if (ended_ || held_) return;
    ended_ = true;
    if (client_) client_->close();
    if (server_) server_->close();
    wake_all();
  }

  // RST to `rst_side`, close() of the other (not for a held connection, as above).
  void reset(Connection& rst_side, Connection& other) {
    if (ended_ || held_) return;
    ended_ = true;
    rst_side.abort();
    other.close();
    wake_all();
  }

 private:
  enum class SendResult { sent, would_block, failed };
  enum class Report { at_once, with_the_read };
  // One send() of `size` bytes to the stream's destination; `sent` says how many it took,
  // reported at once or with the reads it relays. A failure is reported, ends the stream's
  // sending, and resets the source unless held.
  SendResult send_some(Stream& s, const char* data, std::size_t size, std::size_t& sent, Report report) {
    Connection& dst = s.destination();
    for (;;) {
      const ssize_t n = ::send(dst.fd(), data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        if (report == Report::at_once) dst.emit_progress("bytes_sent", n);
        else s.unreported_sent += n;
        sent = static_cast<std::size_t>(n);
        return SendResult::sent;
      }
      if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) return SendResult::would_block;
      if (errno == EINTR) continue;
      const int err = errno;
      report_progress(s);
      dst.emit_error(err, s.upstream ? "send to the server" : "send to the client");
      s.send_failed = true;
      if (!held_) reset(s.source(), dst);  // the destination reset us: tell the source so
      return SendResult::failed;
    }
  }

  // The stream's reads and direct sends since it last reported, as one line each.
  void report_progress(Stream& s) {
    if (s.unreported_read > 0) s.source().emit_progress("bytes_received", s.unreported_read);
    if (s.unreported_sent > 0) s.destination().emit_progress("bytes_sent", s.unreported_sent);
    s.unreported_read = s.unreported_sent = 0;
  }

  void enqueue(Stream& s, Piece first) {
    std::vector<Piece> pieces;
    pieces.push_back(std::move(first));
    const auto now = ToxicClock::now();
    for (auto& [name, toxic] : s.toxics) toxic->shape(pieces, now);
    for (auto& p : pieces) {
      if (p.kind == Piece::data) s.queued += p.bytes.size();
      s.queue.push_back(std::move(p));
    }
    s.writer_wake.cancel();
  }

  void wake_all() {
    for (Stream* s : {&up_, &down_}) {
      s->reader_wake.cancel();
      s->writer_wake.cancel();
    }
  }

  std::unique_ptr<Connection> client_, server_;
  Stream up_, down_;
  int index_;
  std::uint64_t seed_;
  std::vector<char>& buffer_;
  bool ended_ = false;
  bool held_ = false;  // never_close: this connection is never shut or closed by the relay
};

Proxy::Proxy(asio::io_context& io, LineWriter& out, protocol::PeerConfig config)
    : io_(io),
      out_(out),
      config_(std::move(config)),
      listen_address_(make_address(config_.listen).value_or(SocketAddress{})),
      to_(make_address(config_.to).value_or(SocketAddress{})),
      listener_(io),
      read_buffer_(kReadChunk) {
  toxics_ = config_.toxics;
}

Proxy::~Proxy() = default;

void Proxy::spawn(asio::awaitable<void> work) {
  spawn_or_fatal(io_, out_, "proxy", config_.name, std::move(work));
}

void Proxy::begin() {
  bool listening = open_listener(listener_, listen_address_, config_.backlog, out_, [&](int fd) {
    if (config_.shards > 1) share_port(fd, out_);  // one port for every process of the proxy
  });
  listening_or_ready(listener_, listening, out_, when_listening_);
  if (listening) spawn(accept_loop());
}

void Proxy::add_toxic(const behaviors::ToxicSpec& spec) {
  toxics_.push_back(spec);
  for (auto& [index, weak] : open_)
    if (auto r = weak.lock(); r && r->relaying()) r->add_toxic(spec);
}

void Proxy::remove_toxic(const std::string& name) {
  std::erase_if(toxics_, [&](const behaviors::ToxicSpec& t) { return t.name == name; });
  for (auto& [index, weak] : open_)
    if (auto r = weak.lock()) r->remove_toxic(name);
}

asio::awaitable<void> Proxy::accept_loop() {
  co_await accept_forever(listener_, out_, [this](int fd, const sockaddr_storage& remote) {
    // One of several listening processes numbers its connections shard, shard + shards, ...
    const int index = config_.shard + config_.shards * accepted_++;
    auto client = std::make_unique<Connection>(io_.get_executor(), fd, index, out_, cues_);
    emit_opened(*client, "accepted", remote);
    auto r = std::make_shared<Relay>(io_.get_executor(), std::move(client), index, config_.seed,
                                     read_buffer_);
    open_[index] = r;
    spawn(relay(std::move(r)));
  });
}

// Connects upstream for one accepted connection, then starts its two streams.
asio::awaitable<void> Proxy::relay(std::shared_ptr<Relay> r) {
  const int index = r->index();
  const auto& to = to_;
  auto failed = [&](Connection* conn, int err, std::string detail) {
    connect_failed(out_, index, to, err, std::move(detail), conn);
    // Nothing to relay to: the client sees the relay close, or a reset when the destination
    // reset the connection (its handshake completed, then an RST beat connect()'s wake-up).
    if (err == ECONNRESET)
      r->client().abort();
    else
      r->client().close();
    open_.erase(index);
  };
  int fd = ::socket(to.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 && report_if_limit(out_, errno, "socket for relay " + std::to_string(index))) co_return;
  if (fd < 0) co_return failed(nullptr, errno, "socket");
  auto server = std::make_unique<Connection>(io_.get_executor(), fd, index, out_, cues_);
  auto outcome = co_await connect_from(*server, to, config_,
                                       std::chrono::steady_clock::now() + kConnectTimeout,
                                       "no answer from the proxy's destination in 5000 ms");
  if (outcome.err != 0)
    co_return failed(server.get(), outcome.err, outcome.detail + " (to the proxy's destination)");
  if (r->ended()) co_return;
  emit_opened(*server, "connected", to.storage);
  r->set_server(std::move(server));
  for (auto& spec : toxics_) r->add_toxic(spec);
  r->start_streams([this](asio::awaitable<void> work) { spawn(std::move(work)); });
  // The map keeps only weak references: forget relays that are gone, now and then (at every
  // relay, 10,000 open connections would cost a walk of all of them each).
  if (++relays_started_ % kForgetEvery == 0)
    std::erase_if(open_, [](auto& entry) { return entry.second.expired(); });
}

}  // namespace sockdrill::peer
