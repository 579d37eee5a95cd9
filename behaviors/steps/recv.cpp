// {"recv": {"bytes": N} | {"until": "eof"}, "timeout_ms": T}: read exactly that much, no more.
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "behaviors/io.hpp"
#include "behaviors/ranged_int.hpp"
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

class Recv final : public Step {
 public:
  Recv(std::optional<NonNegativeInt> bytes, std::optional<PositiveInt> timeout_ms)
      : bytes_(bytes), timeout_ms_(timeout_ms) {}

  Json to_json() const override {
    Json v = bytes_ ? Json{{"bytes", bytes_->to_json()}} : Json{{"until", "eof"}};
    if (timeout_ms_) v["timeout_ms"] = timeout_ms_->to_json();
    return {{"recv", v}};
  }

  asio::awaitable<StepResult> run(Connection& conn) const override {
    using clock = std::chrono::steady_clock;
    std::optional<clock::time_point> deadline;
    // The step's own timeout, else the connection's recv_timeout_ms option, else none.
    const auto timeout_ms = timeout_ms_ ? std::optional<std::int64_t>(timeout_ms_->value)
                                        : conn.settings.recv_timeout_ms;
    if (timeout_ms) deadline = clock::now() + std::chrono::milliseconds(*timeout_ms);
    const bool until_eof = !bytes_;
    const std::int64_t wanted = bytes_ ? bytes_->value : 0;
    std::int64_t got = 0;
    auto scratch = read_scratch();
    while (until_eof || got < wanted) {
      // Never ask for more than is still wanted: what a step does not read stays in the kernel.
      std::size_t want = until_eof ? scratch.size()
                                   : static_cast<std::size_t>(std::min<std::int64_t>(
                                         wanted - got, static_cast<std::int64_t>(scratch.size())));
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
                       std::to_string(wanted) + " bytes";
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
                                    : " of " + std::to_string(wanted) + " bytes");
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
  std::optional<NonNegativeInt> bytes_;  // nullopt: until end of stream
  std::optional<PositiveInt> timeout_ms_;
};

std::unique_ptr<Step> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  if (!checks::is_object(v, pointer, ctx.diag)) return nullptr;
  NoNewErrors ok(ctx.diag);
  checks::known_keys(v, pointer, ctx.diag, {"bytes", "until", "timeout_ms"});
  checks::exactly_one_key(v, pointer, ctx.diag, {"bytes", "until"});  // and check what was given
  std::optional<NonNegativeInt> bytes;
  std::optional<PositiveInt> timeout_ms;
  read_member(v, "bytes", pointer, ctx.diag, bytes);
  if (v.contains("until") &&
      checks::is_string(v.at("until"), pointer_join(pointer, "until"), ctx.diag) &&
      v.at("until") != "eof")
    ctx.diag.error(pointer_join(pointer, "until"),
                   "expected \"eof\", got " + checks::describe_type(v.at("until")));
  read_member(v, "timeout_ms", pointer, ctx.diag, timeout_ms);
  return ok() ? std::make_unique<Recv>(bytes, timeout_ms) : nullptr;
}

Json schema() {
  return {{"type", "object"},
          {"properties",
           {{"bytes", NonNegativeInt::schema()},
            {"until", {{"const", "eof"}}},
            {"timeout_ms", PositiveInt::schema()}}},
          {"oneOf", Json::array({{{"required", {"bytes"}}}, {{"required", {"until"}}}})},
          {"additionalProperties", false}};
}

}  // namespace

extern const StepKind recv_step{"recv", parse, schema};

}  // namespace sockdrill::behaviors
