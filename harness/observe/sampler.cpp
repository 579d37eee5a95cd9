// One observation of the case's sockets: a sock_diag dump, each socket given to its peer.
#include "harness/observe/sampler.hpp"

#include <algorithm>

#include "common/clock.hpp"

namespace sockdrill {

Sampler::Sampler(std::vector<bool> is_command) : is_command_(std::move(is_command)) {
  std::vector<int> commands;
  for (std::size_t i = 0; i < is_command_.size(); ++i)
    if (is_command_[i]) commands.push_back(static_cast<int>(i));
  has_commands_ = !commands.empty();
  // One command owns every socket no claim matches: every other process of the case announces
  // its sockets. With several, only their descriptors tell them apart.
  if (commands.size() == 1) attribution_.set_fallback_owner(commands[0]);
  diag_ = std::make_unique<SockDiag>();
  diag_->set_byte_counts(has_commands_);
  if (has_commands_) destroyed_watch_ = std::make_unique<DestroyWatch>();
}

Sampler::~Sampler() = default;

Sample Sampler::take(const std::vector<CommandProcess>& commands, const std::function<void()>& drain) {
  std::uint32_t mask = needed_states_;
  if (mask == 0 || last_full_size_ < 2000 || samples_ % 20 == 0) mask = SockDiag::kAllStates;
  ++samples_;
  // The previous sample's sockets: this one's dump is checked against them (DumpRepair).
  before_.swap(records_);
  // Commands announce nothing: their sockets are found by inode in their processes' descriptors,
  // both before the dump (a socket closed since still has its inode in the dump) and after it (a
  // socket made just before the dump is in the descriptors by then). The scan after is needed
  // only when the dump holds a socket never attributed before whose inode no descriptor has
  // shown yet: a case that holds its sockets reads them once a sample, not twice.
  trees_.scan(commands, attribution_);
  // tcp_info makes the kernel's part of a dump a third dearer at 40,000 sockets, and only
  // commands' byte counts need it: asked for while a command holds sockets (or held some in the
  // last sample, whose counts may still grow before they close).
  diag_->set_byte_counts(has_commands_ && (trees_.sockets_held() > 0 || command_sockets_last_ > 0));
  Sample s;
  read_table(s, mask, commands, drain);
  // A command's first socket was made after the scan: read again with the counts, so that no
  // sample shows a command's socket without them.
  if (attribute_records() && has_commands_ && !diag_->byte_counts()) {
    diag_->set_byte_counts(true);
    read_table(s, mask, commands, drain);
    attribute_records();
  }
  if (has_commands_) {
    freed_.clear();
    if (destroyed_watch_) destroyed_watch_->read(freed_);
    s.command_bytes = bytes_.update(records_, freed_, attribution_, is_command_);
  }
  s.per_peer.assign(is_command_.size(), {});
  command_sockets_last_ = 0;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const auto slot = static_cast<std::size_t>(records_[i].state);
    if (slot >= kTcpStateSlots) continue;
    const int owner = owners_[i];
    if (owner >= 0 && static_cast<std::size_t>(owner) < s.per_peer.size()) {
      s.per_peer[owner][slot]++;
      if (is_command_[owner]) ++command_sockets_last_;
    } else {
      s.unattributed[slot]++;
    }
  }
  carry_unread_states(s);
  return s;
}

void Sampler::carry_unread_states(Sample& s) {
  if (needed_states_ == 0) return;  // every read asks for every state
  if (last_complete_) {
    // The sockets a partial read will not ask about, with their owner and state now.
    whole_unread_.clear();
    for (std::size_t i = 0; i < records_.size(); ++i) {
      const SocketRecord& r = records_[i];
      const auto slot = static_cast<std::size_t>(r.state);
      if (slot < kTcpStateSlots && r.cookie != 0 && (needed_states_ & (1u << slot)) == 0)
        whole_unread_.push_back({r.cookie, owners_[i], static_cast<std::uint8_t>(slot)});
    }
    return;
  }
  // whole_unread_ holds only states outside needed_states_, which is what a partial read asks for.
  for (const Unread& u : whole_unread_) {
    if (repair_.read_has(u.cookie)) continue;  // this read saw it in a state it asked for
    if (u.owner >= 0 && static_cast<std::size_t>(u.owner) < s.per_peer.size())
      s.per_peer[u.owner][u.slot]++;
    else
      s.unattributed[u.slot]++;
  }
}

void Sampler::read_table(Sample& s, std::uint32_t mask, const std::vector<CommandProcess>& commands,
                         const std::function<void()>& drain) {
  s.begin_ns = monotonic_ns();
  diag_->dump(mask, records_);
  repair_.repair(mask, before_, records_, [this](const std::vector<SocketRecord>& which, std::vector<SocketRecord>& found) {
    diag_->find(which, found);
  });
  s.end_ns = monotonic_ns();
  last_complete_ = mask == SockDiag::kAllStates;
  if (last_complete_) last_full_size_ = records_.size();
  if (drain) drain();
  if (!has_commands_) return;
  if (has_new_unclaimed_socket()) trees_.scan(commands, attribution_);
  attribution_.claim_listening_endpoints(records_);
}

bool Sampler::attribute_records() {
  owners_.assign(records_.size(), -1);
  bool command_socket = false;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const SocketRecord& r = records_[i];
    if (static_cast<std::size_t>(r.state) >= kTcpStateSlots) continue;
    const int owner = owners_[i] = attribution_.owner(r);
    if (owner >= 0 && static_cast<std::size_t>(owner) < is_command_.size() && is_command_[owner]) command_socket = true;
  }
  return command_socket;
}

bool Sampler::has_new_unclaimed_socket() const {
  for (const SocketRecord& r : records_)
    if (r.inode != 0 && !attribution_.inode_claimed(r.inode) && !attribution_.attributed_before(r)) return true;
  return false;
}

std::optional<Endpoint> Sampler::command_listener(int peer, const std::vector<CommandProcess>& commands) {
  trees_.scan(commands, attribution_);
  diag_->dump(tcp_state_bit(TcpState::LISTEN), listeners_);
  for (const SocketRecord& r : listeners_)
    if (attribution_.owner(r) == peer) return Endpoint{r.local_address(), r.sport};
  return std::nullopt;
}

void Sampler::kill_commands(const std::vector<CommandProcess>& commands) {
  trees_.kill_all(commands, attribution_);
}

bool Sampler::notices_lost() const { return destroyed_watch_ && destroyed_watch_->lost(); }

}  // namespace sockdrill
