// {"shutdown": "write" | "read" | "both"}: shutdown(2), a half-close with "write".
#include <sys/socket.h>

#include <cerrno>

#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

void validate(const Json& step, const std::string& pointer, ValidationContext& ctx) {
  const Json& v = step.at("shutdown");
  std::string ptr = pointer_join(pointer, "shutdown");
  if (!checks::is_string(v, ptr, ctx.diag)) return;
  if (v != "write" && v != "read" && v != "both")
    ctx.diag.error(ptr, "expected \"write\", \"read\" or \"both\", got " + v.dump());
}

class Shutdown final : public Step {
 public:
  Shutdown(int how, std::string name) : how_(how), name_(std::move(name)) {}
  asio::awaitable<StepResult> run(Connection& conn) const override {
    if (::shutdown(conn.fd(), how_) != 0) {
      conn.emit_error(errno, "shutdown(" + name_ + ")");
      co_return StepResult::failed;
    }
    co_return StepResult::next;
  }

 private:
  int how_;
  std::string name_;
};

std::unique_ptr<Step> build(const Json& step) {
  auto name = step.at("shutdown").get<std::string>();
  int how = name == "write" ? SHUT_WR : name == "read" ? SHUT_RD : SHUT_RDWR;
  return std::make_unique<Shutdown>(how, name);
}

}  // namespace

extern const StepKind shutdown_step{"shutdown", validate, build};

}  // namespace sockdrill::behaviors
