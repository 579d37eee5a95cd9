// {"recv": {"bytes": N} | {"until": "eof"}, "timeout_ms": T}: read exactly that much, no more.
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "behaviors/io.hpp"
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& step, const std::string& pointer, ValidationContext& ctx) {
  const Json& v = step.at("recv");
  std::string ptr = pointer_join(pointer, "recv");
  if (!checks::is_object(v, ptr, ctx.diag)) return;
  checks::known_keys(v, ptr, ctx.diag, {"bytes", "until", "timeout_ms"});
  checks::exactly_one_key(v, ptr, ctx.diag, {"bytes", "until"});  // and check what was given
  if (v.contains("bytes")) checks::is_int(v.at("bytes"), pointer_join(ptr, "bytes"), ctx.diag);
  if (v.contains("until") &&
      checks::is_string(v.at("until"), pointer_join(ptr, "until"), ctx.diag) &&
      v.at("until") != "eof")
    ctx.diag.error(pointer_join(ptr, "until"),
                   "expected \"eof\", got " + checks::describe_type(v.at("until")));
  if (v.contains("timeout_ms"))
    checks::is_int(v.at("timeout_ms"), pointer_join(ptr, "timeout_ms"), ctx.diag, 1);
}

class Recv final : public Step {
 public:
  Recv(std::int64_t bytes, std::optional<std::int64_t> timeout_ms)
      : bytes_(bytes), timeout_ms_(timeout_ms) {}

  asio::awaitable<StepResult> run(Connection& conn) const override {
    using clock = std::chrono::steady_clock;
    std::optional<clock::time_point> deadline;
    // The step's own timeout, else the connection's recv_timeout_ms option, else none.
    const auto timeout_ms = timeout_ms_ ? timeout_ms_ : conn.settings.recv_timeout_ms;
    if (timeout_ms) deadline = clock::now() + std::chrono::milliseconds(*timeout_ms);
    const bool until_eof = bytes_ < 0;
    std::int64_t got = 0;
    auto scratch = read_scratch();
    while (until_eof || got < bytes_) {
      // Never ask for more than is still wanted: what a step does not read stays in the kernel.
      std::size_t want = until_eof ? scratch.size()
                                   : static_cast<std::size_t>(std::min<std::int64_t>(
                                         bytes_ - got, static_cast<std::int64_t>(scratch.size())));
      ssize_t n = ::recv(conn.fd(), scratch.data(), want, MSG_DONTWAIT);
      if (n > 0) {
        got += n;
        conn.emit_progress("bytes_received", n);  // `bytes` expectations count as data arrives
        continue;
      }
      if (n == 0) {
        emit_received(conn, got);
        Event eof;
        eof.kind = "eof";
        if (!until_eof)
          eof.detail = "end of stream after " + std::to_string(got) + " of " +
                       std::to_string(bytes_) + " bytes";
        conn.emit(std::move(eof));
        co_return until_eof ? StepResult::next : StepResult::failed;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (co_await conn.wait(tcp::socket::wait_read, deadline)) continue;
        emit_received(conn, got);
        Event timeout;
        timeout.kind = "timeout";
        timeout.detail = "recv waited " + std::to_string(*timeout_ms) + " ms; got " +
                         std::to_string(got) +
                         (until_eof ? " bytes and no end of stream"
                                    : " of " + std::to_string(bytes_) + " bytes");
        conn.emit(std::move(timeout));
        co_return StepResult::failed;
      }
      int err = errno;
      emit_received(conn, got);
      conn.emit_error(err, "recv after " + std::to_string(got) + " bytes");
      co_return StepResult::failed;
    }
    emit_received(conn, got);
    co_return StepResult::next;
  }

 private:
  static void emit_received(Connection& conn, std::int64_t bytes) {
    if (bytes <= 0) return;
    Event e;
    e.kind = "received";
    e.bytes = bytes;
    conn.emit(std::move(e));
  }
  std::int64_t bytes_;  // < 0: until end of stream
  std::optional<std::int64_t> timeout_ms_;
};

std::unique_ptr<Step> build(const Json& step) {
  const Json& v = step.at("recv");
  std::optional<std::int64_t> timeout;
  if (v.contains("timeout_ms")) timeout = v.at("timeout_ms").get<std::int64_t>();
  return std::make_unique<Recv>(v.contains("bytes") ? v.at("bytes").get<std::int64_t>() : -1,
                                timeout);
}

}  // namespace

extern const StepKind recv_step{"recv", validate, build};

}  // namespace sockdrill::behaviors
