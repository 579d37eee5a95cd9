// {"sleep_ms": N}: do nothing for N ms (a slow handler); the socket is left alone.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "behaviors/ranged_int.hpp"
#include "behaviors/step.hpp"

namespace sockdrill::behaviors {
namespace {

class Sleep final : public Step {
 public:
  explicit Sleep(NonNegativeInt ms) : ms_(ms) {}
  Json to_json() const override { return {{"sleep_ms", ms_.to_json()}}; }
  asio::awaitable<StepResult> run(Connection& conn) const override {
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             std::chrono::milliseconds(ms_.value));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return StepResult::next;
  }

 private:
  NonNegativeInt ms_;
};

std::unique_ptr<Step> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  NonNegativeInt ms;
  if (!ms.read(v, pointer, ctx.diag)) return nullptr;
  return std::make_unique<Sleep>(ms);
}

}  // namespace

extern const StepKind sleep_step{"sleep_ms", parse, NonNegativeInt::schema};

}  // namespace sockdrill::behaviors
