// The case's nftables table `inet sockdrill`: named packet counters and drop/reject faults, via libnftables.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/faults/packet_rules.hpp"

struct nft_ctx;

namespace sockdrill {
struct NftablesLibrary;
}

namespace sockdrill {

// Owns table `inet sockdrill` in the network namespace of the thread that constructs it (a
// libnftables context keeps talking to the namespace it was created in). Counters live in an
// output-hook chain (they see every packet sent); faults in a prerouting chain (a packet lost
// there is lost "on the wire", so the sender really retransmits). Not thread-safe: use it from
// one thread. Every libnftables error throws std::runtime_error with nft's message and the command.
// The seed of the numgen positions a fault hits: from the case seed and the fault's number
// (TimelineEntry::fault_number). The factor 2 keeps the draws that earlier versions made.
inline std::uint64_t fault_draw_seed(std::uint64_t case_seed, int number) {
  return case_seed + 2 * static_cast<std::uint64_t>(number);
}

// nftables cannot be used in this namespace at all (no nf_tables in the kernel, or refused):
// a case that needs it is skipped, not failed.
struct NftUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class NftSession {
 public:
  NftSession();   // replaces any table of that name left behind in this namespace
  ~NftSession();  // deletes the table; errors ignored
  NftSession(const NftSession&) = delete;
  NftSession& operator=(const NftSession&) = delete;

  // A named counter of the packets matching MATCH (its probability is ignored).
  // name: letters, digits, '_', starting with a letter or '_'.
  void add_counter(const std::string& name, const PacketMatch& match,
                   const std::map<std::string, PeerIdentity>& peers);

  // A drop or reject (answer with a TCP reset) fault. Its match's probability is the share of
  // matching packets hit; which ones is drawn from fault_draw_seed(case_seed, number), so the
  // same seed hits the same packets in every run, whenever the fault goes in.
  void add_fault(const FaultSpec& fault, const std::map<std::string, PeerIdentity>& peers,
                 std::uint64_t case_seed, int number);

  void clear_faults();                                   // {"clear": true}
  std::map<std::string, std::uint64_t> read_counters();  // counter name -> packets
  std::string ruleset_text();                            // `list table inet sockdrill`

 private:
  std::string run(const std::string& commands, bool json = false);

  const NftablesLibrary* nft_ = nullptr;
  nft_ctx* ctx_ = nullptr;
  std::vector<std::string> fault_sets_;  // sets of the faults installed now
};

}  // namespace sockdrill
