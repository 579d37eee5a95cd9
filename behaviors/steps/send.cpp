// {"send": "TEXT"} / {"send": {"bytes": N}}: write it all; `sent` once, `error` on EPIPE etc.
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "behaviors/io.hpp"
#include "behaviors/ranged_int.hpp"
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

class Send final : public Step {
 public:
  explicit Send(std::string text) : text_(std::move(text)) {}
  explicit Send(NonNegativeInt filler_bytes) : filler_bytes_(filler_bytes) {}

  Json to_json() const override {
    if (filler_bytes_) return {{"send", {{"bytes", filler_bytes_->to_json()}}}};
    return {{"send", text_}};
  }

  asio::awaitable<StepResult> run(Connection& conn) const override {
    const bool use_text = !filler_bytes_;
    const std::int64_t total =
        use_text ? static_cast<std::int64_t>(text_.size()) : filler_bytes_->value;
    std::int64_t sent = 0;
    while (sent < total) {
      const char* data;
      std::size_t len;
      if (use_text) {
        data = text_.data() + sent;
        len = static_cast<std::size_t>(total - sent);
      } else {
        data = filler().data();
        len = static_cast<std::size_t>(std::min<std::int64_t>(total - sent, filler().size()));
      }
      ssize_t n = ::send(conn.fd(), data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        sent += n;
        conn.emit_progress("bytes_sent", n);  // accepted by the kernel so far
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        co_await conn.wait(tcp::socket::wait_write, std::nullopt);
      } else {
        int err = n < 0 ? errno : EIO;
        if (sent > 0) emit_sent(conn, sent);
        conn.emit_error(
            err, "send after " + std::to_string(sent) + " of " + std::to_string(total) + " bytes");
        co_return StepResult::failed;
      }
    }
    emit_sent(conn, sent);
    co_return StepResult::next;
  }

 private:
  static void emit_sent(Connection& conn, std::int64_t bytes) {
    Event e;
    e.kind = "sent";
    e.bytes = bytes;
    conn.emit(std::move(e));
  }
  std::string text_;
  std::optional<NonNegativeInt> filler_bytes_;  // given: send that many filler bytes, not text_
};

std::unique_ptr<Step> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  if (v.is_string()) return std::make_unique<Send>(v.get<std::string>());
  if (!v.is_object()) {
    ctx.diag.error(pointer,
                   "expected a string to send or {\"bytes\": N}, got " + checks::describe_type(v));
    return nullptr;
  }
  NoNewErrors ok(ctx.diag);
  checks::known_keys(v, pointer, ctx.diag, {"bytes"});
  NonNegativeInt bytes;
  if (checks::has_key(v, pointer, ctx.diag, "bytes"))
    read_member(v, "bytes", pointer, ctx.diag, bytes);
  return ok() ? std::make_unique<Send>(bytes) : nullptr;
}

Json schema() {
  return {{"oneOf",
           {{{"type", "string"}},
            {{"type", "object"},
             {"required", {"bytes"}},
             {"properties", {{"bytes", NonNegativeInt::schema()}}},
             {"additionalProperties", false}}}}};
}

}  // namespace

extern const StepKind send_step{"send", parse, schema};

}  // namespace sockdrill::behaviors
