// A case's packet counters and faults over its run: what goes in when, and what waits for a peer.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "harness/case/case_model.hpp"
#include "harness/faults/nft_session.hpp"
#include "harness/faults/packet_rules.hpp"

namespace sockdrill {

// How the peers show on the wire right now.
struct WireView {
  std::map<std::string, PeerIdentity> identities;  // every peer that has an identity
  // Listening peers with start_ms that have not bound yet: until they do no packet can be
  // theirs, so counters naming them read 0 and faults naming them wait.
  std::set<std::string> not_there_yet;
};

class FaultPlan {
 public:
  FaultPlan(const CaseSpec& spec, std::uint64_t case_seed);
  ~FaultPlan();

  // Whether the case has faults or packets expectations at all (else nothing is opened).
  bool needed() const { return needed_; }
  // Opens the namespace's table and adds the counters of `packets` expectations. Throws
  // std::runtime_error with nft's message when a rule cannot be made.
  void start(const WireView& wire);
  // A fault entry of the timeline (drop, reject or clear), now or once its peers are there.
  void run(const TimelineEntry& entry, const WireView& wire);
  // A late listener bound its port: counters and faults that waited for it go in.
  void peer_arrived(const WireView& wire);
  // packets[i] for every packets expectation i (indexed like CaseSpec::expect; -1 elsewhere).
  void read_counters(std::vector<std::int64_t>& packets);
  std::string ruleset_text();  // for the report; "" when there is no table

 private:
  bool waits(const PacketMatch& match, const WireView& wire) const;
  void add_fault(const TimelineEntry& entry, const WireView& wire);

  const CaseSpec& spec_;
  std::uint64_t seed_;
  bool needed_ = false;
  std::unique_ptr<NftSession> nft_;
  std::vector<std::size_t> waiting_counters_;          // indexes into spec.expect
  std::vector<const TimelineEntry*> waiting_faults_;   // in timeline order
};

}  // namespace sockdrill
