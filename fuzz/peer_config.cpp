// Fuzz target: sockdrill-peer's config line (protocol/peer_config.hpp). Whatever JSON the line
// holds, peer_config_from_json() gives a config or diagnostics saying why not; it never crashes,
// aborts or throws, and what it gives is written back and read again unchanged.
#include <cstddef>
#include <cstdint>

#include "common/diagnostics.hpp"
#include "common/json.hpp"
#include "fuzz/fuzz_check.hpp"
#include "protocol/peer_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // As sockdrill-peer reads its first line: not JSON is reported before the config is read.
  const sockdrill::Json line = sockdrill::Json::parse(data, data + size, nullptr, false);
  if (line.is_discarded()) return 0;
  sockdrill::Diagnostics diag;
  const auto config = sockdrill::protocol::peer_config_from_json(line, diag);
  sockdrill::fuzz::require(config.has_value() == diag.ok(),
                           "a config, or at least one diagnostic saying why not; never both");
  if (!config) return 0;
  const sockdrill::Json written = sockdrill::protocol::to_json(*config);
  sockdrill::Diagnostics again;
  const auto reread = sockdrill::protocol::peer_config_from_json(written, again);
  sockdrill::fuzz::require(reread && sockdrill::protocol::to_json(*reread) == written,
                           "what the runner writes the peer reads back the same");
  return 0;
}
