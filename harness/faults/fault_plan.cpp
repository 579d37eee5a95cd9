// A case's packet counters and faults over its run: what goes in when, and what waits for a peer.
#include "harness/faults/fault_plan.hpp"

#include <algorithm>
#include <stdexcept>

namespace sockdrill {
namespace {
std::string counter_name(std::size_t expectation) { return "e" + std::to_string(expectation); }
}  // namespace

FaultPlan::FaultPlan(const CaseSpec& spec, std::uint64_t case_seed) : spec_(spec), seed_(case_seed) {
  for (auto& e : spec.timeline) needed_ = needed_ || e.kind == TimelineEntry::Kind::fault;
  for (auto& x : spec.expect) needed_ = needed_ || x.selector.kind == Selector::packets;
}

FaultPlan::~FaultPlan() = default;

bool FaultPlan::waits(const PacketMatch& match, const WireView& wire) const {
  return wire.not_there_yet.count(match.from) > 0 || wire.not_there_yet.count(match.to) > 0;
}

void FaultPlan::start(const WireView& wire) {
  if (!needed_) return;
  nft_ = std::make_unique<NftSession>();
  for (std::size_t i = 0; i < spec_.expect.size(); ++i) {
    const Selector& sel = spec_.expect[i].selector;
    if (sel.kind != Selector::packets) continue;
    if (waits(sel.packet_match, wire)) waiting_counters_.push_back(i);
    else nft_->add_counter(counter_name(i), sel.packet_match, wire.identities);
  }
}

void FaultPlan::add_fault(const TimelineEntry& entry, const WireView& wire) {
  try {
    nft_->add_fault(entry.fault, wire.identities, seed_, entry.fault_number);
  } catch (const std::exception& e) {
    throw std::runtime_error("fault at " + std::to_string(entry.at_ms) + " ms (" +
                             entry.where.pointer + ") could not be applied: " + e.what());
  }
}

void FaultPlan::run(const TimelineEntry& entry, const WireView& wire) {
  if (!nft_) throw std::logic_error("a fault entry before FaultPlan::start (a harness bug)");
  if (entry.fault.action == FaultSpec::clear) {
    waiting_faults_.clear();  // cleared before their peer came: never in force
    nft_->clear_faults();
  } else if (waits(entry.fault.match, wire)) {
    waiting_faults_.push_back(&entry);
  } else {
    add_fault(entry, wire);
  }
}

void FaultPlan::peer_arrived(const WireView& wire) {
  if (!nft_) return;
  std::erase_if(waiting_counters_, [&](std::size_t i) {
    const PacketMatch& match = spec_.expect[i].selector.packet_match;
    if (waits(match, wire)) return false;
    nft_->add_counter(counter_name(i), match, wire.identities);
    return true;
  });
  std::erase_if(waiting_faults_, [&](const TimelineEntry* entry) {
    if (waits(entry->fault.match, wire)) return false;
    add_fault(*entry, wire);
    return true;
  });
}

void FaultPlan::read_counters(std::vector<std::int64_t>& packets) {
  if (!nft_) return;
  packets.assign(spec_.expect.size(), -1);
  for (auto& [name, count] : nft_->read_counters()) {
    for (std::size_t i = 0; i < spec_.expect.size(); ++i)
      if (name == counter_name(i)) packets[i] = static_cast<std::int64_t>(count);
  }
  for (std::size_t i : waiting_counters_) packets[i] = 0;  // its peer is not there yet
}

std::string FaultPlan::ruleset_text() {
  if (!nft_) return "";
  try {
    return nft_->ruleset_text();
  } catch (const std::exception& e) {
    return std::string("(could not list: ") + e.what() + ")";
  }
}

}  // namespace sockdrill
