// Fuzz target: both directions of the runner <-> sockdrill-peer line protocol. Any line is a
// message or a problem (never a crash, an abort or an exception), and a message read back from
// what to_line() wrote of it is the same message.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "fuzz/fuzz_check.hpp"
#include "protocol/peer_messages.hpp"
#include "protocol/runner_messages.hpp"

namespace {

using sockdrill::Json;
using sockdrill::fuzz::require;
namespace protocol = sockdrill::protocol;

// What the runner does with a line on a peer's stdout.
std::optional<protocol::PeerMessage> read_peer(std::string_view line, std::string& problem) {
  return protocol::read_peer_line(line, problem);
}

// What a peer does with a line on its stdin (after the config line): parse, then read.
std::optional<protocol::RunnerMessage> read_runner(std::string_view line, std::string& problem) {
  const Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded()) {
    problem = "not JSON";  // the peer's own check, before read_runner_line
    return std::nullopt;
  }
  return protocol::read_runner_line(j, problem);
}

template <typename Message>
void check(std::optional<Message> (*read)(std::string_view, std::string&), std::string_view line) {
  std::string problem;
  const auto message = read(line, problem);
  require(message.has_value() == problem.empty(), "a line is a message or has a problem, not both");
  if (!message) return;
  const std::string written = protocol::to_line(*message);
  std::string again;
  const auto reread = read(written, again);
  require(reread.has_value(), "to_line() of a message reads back");
  require(protocol::to_line(*reread) == written, "a message reads back unchanged");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  check(read_peer, line);
  check(read_runner, line);
  return 0;
}
