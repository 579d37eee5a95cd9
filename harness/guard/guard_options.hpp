// What `sockdrill guard` was asked to do: its options, parsed and checked by the CLI command.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/tcp_state.hpp"

namespace sockdrill::guard {

struct GuardOptions {
  std::vector<std::string> command;  // COMMAND [ARG...], run through PATH
  double settle_ms = 1000;    // a CLOSE_WAIT shorter than this is not a leak; also how long
                              // processes that outlived the command get to end on their own
  double interval_ms = 50;    // between two samples of the kernel's sockets
  std::set<TcpState> allowed;           // states that never count (--allow)
  std::set<std::uint16_t> ignored_ports;  // a socket with either port here never counts
  bool isolate = false;       // in a network (and user, PID, mount) namespace of its own
  bool keep = false;          // leave processes that outlived the command running
  int leak_exit_code = 1;     // the status when the command succeeded but something leaked
  std::optional<std::filesystem::path> report;  // JSON
  std::optional<std::filesystem::path> junit;   // JUnit XML
};

}  // namespace sockdrill::guard
