// What a peer starts with: a sockdrill-peer's configuration line, a command's argv and env,
// every reference to another peer resolved to its address and port.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "harness/case/case_model.hpp"
#include "harness/case/placeholders.hpp"
#include "harness/run/case_clock.hpp"
#include "harness/run/peer_table.hpp"
#include "protocol/peer_config.hpp"

namespace sockdrill {

// {PEER.address}, {PEER.port}, {case_dir} and --define values as they stand now.
PlaceholderValues placeholder_values(const CaseSpec& spec, const PeerTable& peers);

// The configuration of a server, client or proxy; nullopt with `problem` set when a peer it
// refers to has no listening endpoint yet.
std::optional<protocol::PeerConfig> peer_config(const PeerSlot& peer, const PeerTable& peers,
                                                const CaseSpec& spec, std::uint64_t seed,
                                                const CaseClock& clock, std::string& problem);

struct CommandLaunch {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "KEY=VALUE": the runner's environment and the case's env
};
std::optional<CommandLaunch> command_launch(const PeerSlot& peer, const PeerTable& peers,
                                            const CaseSpec& spec, std::string& problem);

}  // namespace sockdrill
