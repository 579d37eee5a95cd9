// {"shutdown": "write" | "read" | "both"}: shutdown(2), a half-close with "write".
#include <sys/socket.h>

#include <cerrno>

#include "behaviors/step.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {
namespace {

struct How {
  const char* name;
  int how;
};
constexpr How kHows[] = {{"write", SHUT_WR}, {"read", SHUT_RD}, {"both", SHUT_RDWR}};

class Shutdown final : public Step {
 public:
  explicit Shutdown(const How& how) : how_(how) {}
  Json to_json() const override { return {{"shutdown", how_.name}}; }
  asio::awaitable<StepResult> run(Connection& conn) const override {
    if (::shutdown(conn.fd(), how_.how) != 0) {
      conn.emit_error(errno, std::string("shutdown(") + how_.name + ")");
      co_return StepResult::failed;
    }
    co_return StepResult::next;
  }

 private:
  How how_;
};

std::unique_ptr<Step> parse(const Json& v, const std::string& pointer, ParseContext& ctx) {
  if (!checks::is_string(v, pointer, ctx.diag)) return nullptr;
  for (const How& how : kHows)
    if (v == how.name) return std::make_unique<Shutdown>(how);
  ctx.diag.error(pointer, "expected \"write\", \"read\" or \"both\", got " + v.dump());
  return nullptr;
}

Json schema() {
  Json names = Json::array();
  for (const How& how : kHows) names.push_back(how.name);
  return {{"enum", names}};
}

}  // namespace

extern const StepKind shutdown_step{"shutdown", parse, schema};

}  // namespace sockdrill::behaviors
