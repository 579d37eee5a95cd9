// What a sockdrill-peer tells the runner, one JSON object per line on its stdout.
//
//   {"type":"ready"}                      set up: a server listens (or failed to bind), a client
//                                         waits for t = 0
//   {"type":"bound","address":A,"port":N} a listening socket's endpoint, written BEFORE listen(),
//                                         so every listener the observer sees was announced
//   {"type":"event","t_ns":N,"kind":K,...} see protocol/event.hpp; t_ns is CLOCK_MONOTONIC
//   {"type":"synced","id":N,"t_ns":T}     answer to sync N: every event this peer stamped
//                                         before T has been written above this line
//   {"type":"limit","message":M}          the peer hit a limit of the machine (descriptors);
//                                         the case cannot run as written: error (limit)
//   {"type":"fatal","message":M}          a harness bug or an unusable config; the peer exits 70
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/event.hpp"

namespace sockdrill::protocol {

inline constexpr int kFatalExitCode = 70;  // EX_SOFTWARE

struct Ready {};
struct Bound {
  std::string address;
  int port = 0;
};
struct Synced {
  std::uint64_t id = 0;
  std::int64_t t_ns = 0;
};
struct Limit {
  std::string message;
};
struct Fatal {
  std::string message;
};

using PeerMessage = std::variant<Ready, Bound, Event, Synced, Limit, Fatal>;

// One line without its newline.
std::string to_line(const PeerMessage& message);
// nullopt, with `problem` set, when the line is not a message of this protocol.
std::optional<PeerMessage> read_peer_line(std::string_view line, std::string& problem);

}  // namespace sockdrill::protocol
