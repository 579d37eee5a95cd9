// One observation of the case's sockets: a sock_diag dump, each socket given to its peer.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "common/endpoint.hpp"
#include "common/tcp_state.hpp"
#include "harness/observe/attribution.hpp"
#include "harness/observe/command_bytes.hpp"
#include "harness/observe/command_trees.hpp"
#include "harness/observe/dump_repair.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill {

using StateCounts = std::array<std::int64_t, kTcpStateSlots>;

struct Sample {
  std::int64_t begin_ns = 0;  // the kernel's table was read between these (CLOCK_MONOTONIC)
  std::int64_t end_ns = 0;
  std::vector<StateCounts> per_peer;  // indexed like the case's peers
  StateCounts unattributed{};         // sockets no peer claims (another process, a stray)
  std::vector<ByteGrowth> command_bytes;  // how much command peers' counts grew
};

class Sampler {
 public:
  // `is_command[i]`: peer i is a command (its sockets are found through its processes, its
  // bytes through tcp_info and destroy notices). Opens sock_diag in the current namespace;
  // throws std::system_error when it cannot.
  explicit Sampler(std::vector<bool> is_command);
  ~Sampler();

  Attribution& attribution() { return attribution_; }
  // The states expectations ask for: large tables are read only for those (small ones always
  // whole, and every 20th sample whole). A sample that read only some states counts, in the
  // others, the sockets the last whole read found in them, less those it saw itself (moved to a
  // state it read), so that reports and messages show every state and no socket twice.
  void set_needed_states(std::uint32_t mask) { needed_states_ = mask; }

  // Reads the table. `drain` runs right after the dump: it must read every peer line written
  // so far, so that each socket in the dump has been announced when it is attributed.
  Sample take(const std::vector<CommandProcess>& commands, const std::function<void()>& drain);

  // The last take()'s sockets, the peer index of each (-1: none), and whether it read every
  // state (a socket missing from a complete read is gone).
  const std::vector<SocketRecord>& last_records() const { return records_; }
  const std::vector<int>& last_owners() const { return owners_; }
  bool last_was_complete() const { return last_complete_; }

  // A command's first listening socket, once its processes hold one (scans its tree first).
  std::optional<Endpoint> command_listener(int peer, const std::vector<CommandProcess>& commands);
  // Ends every process of every command's tree.
  void kill_commands(const std::vector<CommandProcess>& commands);
  // Whether the kernel dropped destroy notices: command byte counts may then be short.
  bool notices_lost() const;
  // What the reads repaired: sockets a dump sent twice, or skipped and a lookup found.
  const DumpRepair::Tally& dump_repairs() const { return repair_.tally(); }
  // For tests: the reader of the table (to change the table midway through a dump).
  SockDiag& table_reader() { return *diag_; }
  // How many times the commands' process trees and descriptors were read.
  std::uint64_t command_scans() const { return trees_.scans(); }

 private:
  // Whether records_ holds a socket never attributed before whose inode no command's
  // descriptors have shown (then the commands are scanned again after the dump).
  bool has_new_unclaimed_socket() const;
  // One read of the table into records_ (stamped in `s`), the peers' lines drained after it and
  // the commands' sockets claimed.
  void read_table(Sample& s, std::uint32_t mask, const std::vector<CommandProcess>& commands,
                  const std::function<void()>& drain);
  // Fills owners_ for records_ (owner() once per socket a read); whether a command owns one.
  bool attribute_records();
  // A whole read's sockets in unread states are kept; a partial read counts them (set_needed_states).
  void carry_unread_states(Sample& s);

  std::vector<bool> is_command_;
  bool has_commands_ = false;
  Attribution attribution_;
  std::unique_ptr<SockDiag> diag_;
  std::unique_ptr<DestroyWatch> destroyed_watch_;  // only with command peers
  CommandTrees trees_;
  CommandBytes bytes_;
  DumpRepair repair_;
  std::vector<SocketRecord> records_, before_, freed_, listeners_;  // before_: the previous take's
  std::vector<int> owners_;  // records_[i]'s peer
  bool last_complete_ = false;
  std::uint32_t needed_states_ = 0;
  std::uint64_t samples_ = 0;
  std::size_t last_full_size_ = 0;
  std::size_t command_sockets_last_ = 0;  // the last sample's sockets owned by commands
  // The sockets of the last sample that read every state, in the states a partial read does not
  // ask for: a partial read counts each in that state unless it saw the socket itself.
  struct Unread {
    std::uint64_t cookie = 0;
    int owner = -1;
    std::uint8_t slot = 0;
  };
  std::vector<Unread> whole_unread_;
};

}  // namespace sockdrill
