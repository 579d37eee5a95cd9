// "keepalive": {"idle_s", "interval_s", "count"}: SO_KEEPALIVE plus the TCP_KEEP* given.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "behaviors/option.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

// The kernel's limits (MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT): larger values
// would fail with EINVAL at run time, so they are refused up front.
constexpr int kMaxKeepSeconds = 32767;
constexpr int kMaxKeepCount = 127;

void validate(const Json& v, const std::string& pointer, ValidationContext& ctx) {
  if (!checks::is_object(v, pointer, ctx.diag)) return;
  checks::known_keys(v, pointer, ctx.diag, {"idle_s", "interval_s", "count"});
  if (v.contains("idle_s"))
    checks::is_int(v.at("idle_s"), pointer_join(pointer, "idle_s"), ctx.diag, 1, kMaxKeepSeconds);
  if (v.contains("interval_s"))
    checks::is_int(v.at("interval_s"), pointer_join(pointer, "interval_s"), ctx.diag, 1,
                   kMaxKeepSeconds);
  if (v.contains("count"))
    checks::is_int(v.at("count"), pointer_join(pointer, "count"), ctx.diag, 1, kMaxKeepCount);
}

class Keepalive final : public Option {
 public:
  Keepalive(std::optional<int> idle, std::optional<int> interval, std::optional<int> count)
      : idle_(idle), interval_(interval), count_(count) {}
  std::vector<OptionFailure> apply(OptionTarget& t) const override {
    std::vector<OptionFailure> f;
    set_int_option(t.fd, SOL_SOCKET, SO_KEEPALIVE, 1, "setsockopt(SO_KEEPALIVE)", f);
    // Only what the case gives: the others keep the system's defaults.
    if (idle_)
      set_int_option(t.fd, IPPROTO_TCP, TCP_KEEPIDLE, *idle_, "setsockopt(TCP_KEEPIDLE)", f);
    if (interval_)
      set_int_option(t.fd, IPPROTO_TCP, TCP_KEEPINTVL, *interval_, "setsockopt(TCP_KEEPINTVL)", f);
    if (count_)
      set_int_option(t.fd, IPPROTO_TCP, TCP_KEEPCNT, *count_, "setsockopt(TCP_KEEPCNT)", f);
    return f;
  }

 private:
  std::optional<int> idle_, interval_, count_;
};

std::unique_ptr<Option> build(const Json& v) {
  auto get = [&](const char* key) -> std::optional<int> {
    if (!v.contains(key)) return std::nullopt;
    return v.at(key).get<int>();
  };
  return std::make_unique<Keepalive>(get("idle_s"), get("interval_s"), get("count"));
}

}  // namespace

extern const OptionKind keepalive_option{"keepalive", validate, build};

}  // namespace sockdrill::behaviors
