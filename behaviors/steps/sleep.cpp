// {"sleep_ms": N}: do nothing for N ms (a slow handler); the socket is left alone.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& step, const std::string& pointer, ValidationContext& ctx) {
  checks::is_int(step.at("sleep_ms"), pointer_join(pointer, "sleep_ms"), ctx.diag);
}

class Sleep final : public Step {
 public:
  explicit Sleep(std::int64_t ms) : ms_(ms) {}
  asio::awaitable<StepResult> run(Connection& conn) const override {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(ms_));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return StepResult::next;
  }

 private:
  std::int64_t ms_;
};

std::unique_ptr<Step> build(const Json& step) {
  return std::make_unique<Sleep>(step.at("sleep_ms").get<std::int64_t>());
}

}  // namespace

extern const StepKind sleep_step{"sleep_ms", validate, build};

}  // namespace sockdrill::behaviors
