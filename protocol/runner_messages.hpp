// What the runner tells a sockdrill-peer, one JSON object per line on its stdin (after the
// peer's configuration, protocol/peer_config.hpp).
//
//   {"type":"start","t0_ns":N}     t = 0: clients begin to connect; after_ms counts from t0_ns
//   {"type":"cue","name":"NAME"}   release every wait on NAME (cues stay given)
//   {"type":"sync","id":N}         answer with {"type":"synced","id":N,"t_ns":T}
//   {"type":"toxic",...}           to a proxy: a timeline toxic change (protocol/peer_config.hpp)
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "behaviors/toxics/toxic.hpp"
#include "common/json.hpp"

namespace sockdrill::protocol {

struct Start {
  std::int64_t t0_ns = 0;
};
struct Cue {
  std::string name;
};
struct Sync {
  std::uint64_t id = 0;
};
// A toxic change for a proxy: a toxic to add (written as a case writes it, read back with the
// toxics' own parser) or the name of one to remove.
struct ToxicLine {
  std::optional<behaviors::ToxicSpec> add;
  std::string remove;
};

using RunnerMessage = std::variant<Start, Cue, Sync, ToxicLine>;

std::string to_line(const RunnerMessage& message);
// nullopt, with `problem` set, when the line is not one of these messages.
std::optional<RunnerMessage> read_runner_line(const Json& line, std::string& problem);

}  // namespace sockdrill::protocol
