// Each connection's TCP states as the samples saw them, for the report (and its trace).
#include "harness/run/socket_histories.hpp"

namespace sockdrill {

void SocketHistories::observe(double t_ms, const std::vector<SocketRecord>& records,
                              const std::vector<int>& owners, bool complete) {
  ++samples_;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const SocketRecord& r = records[i];
    if (r.cookie == 0) continue;  // nothing to key it by
    const int owner = i < owners.size() ? owners[i] : -1;
    auto [it, is_new] = index_of_.try_emplace(r.cookie, kOmitted);
    if (is_new) {
      if (sockets_.size() >= kept_) {
        ++omitted_;
        continue;
      }
      it->second = static_cast<std::int64_t>(sockets_.size());
      Kept k;
      k.owner = owner;
      k.state = r.state;
      k.history.cookie = r.cookie;
      k.history.local = r.local_text();
      k.history.remote = r.remote_text();
      k.history.states.emplace_back(t_ms, std::string(tcp_state_name(r.state)));
      k.last_sample = samples_;
      sockets_.push_back(std::move(k));
      continue;
    }
    if (it->second == kOmitted) continue;
    Kept& k = sockets_[static_cast<std::size_t>(it->second)];
    k.last_sample = samples_;
    if (k.owner < 0) k.owner = owner;  // a claim that came later
    if (k.state != r.state || k.history.gone_ms) {
      k.state = r.state;
      k.history.gone_ms.reset();
      k.history.states.emplace_back(t_ms, std::string(tcp_state_name(r.state)));
    }
  }
  if (!complete) return;  // a socket in a state the dump did not ask for is not gone
  for (Kept& k : sockets_)
    if (k.last_sample != samples_ && !k.history.gone_ms) k.history.gone_ms = t_ms;
}

void SocketHistories::fill(reports::CaseRecord& record,
                           const std::vector<std::string>& peer_names) const {
  record.sockets.reserve(sockets_.size());
  for (const Kept& k : sockets_) {
    reports::SocketHistory h = k.history;
    h.peer = k.owner >= 0 && static_cast<std::size_t>(k.owner) < peer_names.size()
                 ? peer_names[static_cast<std::size_t>(k.owner)]
                 : "(unattributed)";
    record.sockets.push_back(std::move(h));
  }
  record.sockets_omitted = omitted_;
}

}  // namespace sockdrill
