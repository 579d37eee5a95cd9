// Starting, hearing, syncing and ending the case's processes: sockdrill-peers and commands.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "harness/case/case_model.hpp"
#include "harness/run/case_clock.hpp"
#include "harness/run/error_latch.hpp"
#include "harness/run/event_log.hpp"
#include "harness/run/peer_table.hpp"
#include "protocol/peer_messages.hpp"
#include "protocol/runner_messages.hpp"

namespace sockdrill {

// A command that exited with another status than its exit_code.
struct CommandFailure {
  std::string peer;
  int expected = 0;
  int actual = 0;
  std::int64_t t_us = 0;
  bool after_t0 = false;
};

class PeerSupervisor {
 public:
  PeerSupervisor(const CaseSpec& spec, std::string peer_program, std::string case_name,
                 PeerTable& peers, const CaseClock& clock, ErrorLatch& errors, EventLog& events,
                 std::uint64_t seed);

  // Starts a sockdrill-peer with its configuration, or a command. False, with the error
  // latched, when it cannot start.
  bool start(PeerSlot& p);
  // Waits until `until_ns` (CLOCK_MONOTONIC) or until a peer writes, then handles every line
  // written so far and every child that exited.
  void pump(std::int64_t until_ns);
  void drain() { pump(0); }

  void send(PeerSlot& p, const protocol::RunnerMessage& message);
  // To every sockdrill-peer that is running.
  void broadcast(const protocol::RunnerMessage& message);

  // Asks every peer whose watermark is not past `t_ns` to sync (one request at a time each).
  void sync_past(std::int64_t t_ns);
  // Every event stamped before this time has been read from every peer still writing.
  std::int64_t watermark_ns() const;
  // The peers that have not answered a sync for longer than that, for a message ("" if none).
  std::string silent_peers(std::int64_t longer_than_ns) const;

  // Whether every command with an exit_code has exited.
  bool commands_done() const;
  // The commands with an exit_code that have not exited, for a message.
  std::string commands_running() const;
  const std::vector<CommandFailure>& command_failures() const { return failures_; }

  // From here on exits are the runner's doing: no more failures or errors from them.
  void ending() { ending_ = true; }
  // SIGKILL to every started process.
  void kill_all();

  // A peer announced a listening endpoint (a `bound` line, written before listen()): the
  // observer claims it for the peer, and late listeners let their faults in.
  std::function<void(PeerSlot&, const Endpoint&)> on_bound;

 private:
  bool start_command(PeerSlot& p);
  void handle_line(PeerSlot& p, const std::string& line);
  void handle(PeerSlot& p, const protocol::PeerMessage& message);
  void reap();

  const CaseSpec& spec_;
  std::string peer_program_;
  std::string case_name_;
  PeerTable& peers_;
  const CaseClock& clock_;
  ErrorLatch& errors_;
  EventLog& events_;
  std::uint64_t seed_;
  boost::asio::io_context io_;  // Boost.Process needs one; nothing runs on it
  std::vector<std::string> cues_given_;
  std::vector<CommandFailure> failures_;
  std::uint64_t next_sync_ = 1;
  bool ending_ = false;
};

}  // namespace sockdrill
