// {"send": "TEXT"} / {"send": {"bytes": N}}: write it all; `sent` once, `error` on EPIPE etc.
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "behaviors/io.hpp"
#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& step, const std::string& pointer, ValidationContext& ctx) {
  const Json& v = step.at("send");
  std::string ptr = pointer_join(pointer, "send");
  if (v.is_string()) return;
  if (!v.is_object()) {
    ctx.diag.error(ptr,
                   "expected a string to send or {\"bytes\": N}, got " + checks::describe_type(v));
    return;
  }
  checks::known_keys(v, ptr, ctx.diag, {"bytes"});
  if (checks::has_key(v, ptr, ctx.diag, "bytes"))
    checks::is_int(v.at("bytes"), pointer_join(ptr, "bytes"), ctx.diag);
}

class Send final : public Step {
 public:
  Send(std::string text, std::int64_t filler_bytes)
      : text_(std::move(text)), filler_bytes_(filler_bytes) {}

  asio::awaitable<StepResult> run(Connection& conn) const override {
    const bool use_text = filler_bytes_ < 0;
    const std::int64_t total = use_text ? static_cast<std::int64_t>(text_.size()) : filler_bytes_;
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
  std::int64_t filler_bytes_;  // < 0: send text_
};

std::unique_ptr<Step> build(const Json& step) {
  const Json& v = step.at("send");
  if (v.is_string()) return std::make_unique<Send>(v.get<std::string>(), -1);
  return std::make_unique<Send>(std::string(), v.at("bytes").get<std::int64_t>());
}

}  // namespace

extern const StepKind send_step{"send", validate, build};

}  // namespace sockdrill::behaviors
