// Everything that must happen before t = 0: peers started in the order their references need.
#pragma once
#include <cstdint>
#include <functional>

#include "harness/observe/sampler.hpp"
#include "harness/run/error_latch.hpp"
#include "harness/run/peer_supervisor.hpp"
#include "harness/run/peer_table.hpp"

namespace sockdrill {

// Starts every peer without start_ms: listening peers first, one by one, each once the peers
// it needs listen (its PeerSpec::needs), then the rest; then waits until every one is ready
// (a command that others connect to: until its processes listen). False when one cannot
// start or the deadline passes first, with the error latched; or, with nothing latched, when
// such a command exited before it listened with a status other than its exit_code: the program
// under test failed (the supervisor recorded it), which is the case's `fail`, not an error.
bool start_peers_before_t0(PeerTable& peers, PeerSupervisor& supervisor, Sampler& sampler,
                           ErrorLatch& errors, std::int64_t deadline_ns);

// Whether a command's processes listen yet; the first listening socket found becomes its
// endpoint (for connect.to and placeholders).
bool find_command_listener(PeerSlot& p, PeerTable& peers, Sampler& sampler);

}  // namespace sockdrill
