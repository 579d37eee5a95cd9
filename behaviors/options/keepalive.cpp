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
using KeepSeconds = RangedInt<1, 32767>;
using KeepCount = RangedInt<1, 127>;

class Keepalive final : public Option {
 public:
  // Absent members keep the system's defaults.
  std::optional<KeepSeconds> idle_s, interval_s;
  std::optional<KeepCount> count;

  std::string_view key() const override { return "keepalive"; }
  Json value_json() const override {
    Json v = Json::object();
    if (idle_s) v["idle_s"] = idle_s->to_json();
    if (interval_s) v["interval_s"] = interval_s->to_json();
    if (count) v["count"] = count->to_json();
    return v;
  }
  std::vector<OptionFailure> apply(OptionTarget& t) const override {
    std::vector<OptionFailure> f;
    set_int_option(t.fd, SOL_SOCKET, SO_KEEPALIVE, 1, "setsockopt(SO_KEEPALIVE)", f);
    if (idle_s)
      set_int_option(t.fd, IPPROTO_TCP, TCP_KEEPIDLE, idle_s->value, "setsockopt(TCP_KEEPIDLE)", f);
    if (interval_s)
      set_int_option(t.fd, IPPROTO_TCP, TCP_KEEPINTVL, interval_s->value,
                     "setsockopt(TCP_KEEPINTVL)", f);
    if (count)
      set_int_option(t.fd, IPPROTO_TCP, TCP_KEEPCNT, count->value, "setsockopt(TCP_KEEPCNT)", f);
    return f;
  }
};

std::unique_ptr<Option> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  if (!checks::is_object(v, pointer, ctx.diag)) return nullptr;
  NoNewErrors ok(ctx.diag);
  checks::known_keys(v, pointer, ctx.diag, {"idle_s", "interval_s", "count"});
  auto option = std::make_unique<Keepalive>();
  read_member(v, "idle_s", pointer, ctx.diag, option->idle_s);
  read_member(v, "interval_s", pointer, ctx.diag, option->interval_s);
  read_member(v, "count", pointer, ctx.diag, option->count);
  return ok() ? std::move(option) : nullptr;
}

Json schema() {
  return {{"type", "object"},
          {"properties",
           {{"idle_s", KeepSeconds::schema()},
            {"interval_s", KeepSeconds::schema()},
            {"count", KeepCount::schema()}}},
          {"additionalProperties", false}};
}

}  // namespace

extern const OptionKind keepalive_option{"keepalive", parse, schema};

}  // namespace sockdrill::behaviors
