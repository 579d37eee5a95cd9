// Fuzz target: sockdrill-peer's config line. Whatever JSON the line holds, parse_config() gives
// a config or diagnostics saying why not; it never crashes, aborts or throws.
#include <cstddef>
#include <cstdint>

#include "common/diagnostics.hpp"
#include "common/json.hpp"
#include "fuzz/fuzz_check.hpp"
#include "peers/peer_config.hpp"

namespace {

// Findings in code that another change is rewriting: reported there, not fixed here, and skipped
// so that the fuzzer looks past them. Remove each once its fix is in.
bool known_finding(const sockdrill::Json& line) {
  // peers/peer_config.cpp:140 `line.value("type", "")` throws type_error.302 when "type" is there
  // but not a string ({"type":{}}): sockdrill-peer then says "fatal: event loop: [json.exception
  // .type_error.302] ..." (main's catch) instead of a diagnostic at /type.
  return line.is_object() && line.contains("type") && !line["type"].is_string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // As sockdrill-peer reads its first line: not JSON is reported before parse_config.
  const sockdrill::Json line = sockdrill::Json::parse(data, data + size, nullptr, false);
  if (line.is_discarded() || known_finding(line)) return 0;
  sockdrill::Diagnostics diag;
  const auto config = sockdrill::peer::parse_config(line, diag);
  sockdrill::fuzz::require(config.has_value() == diag.ok(),
                           "a config, or at least one diagnostic saying why not; never both");
  return 0;
}
