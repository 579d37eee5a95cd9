// Each connection's TCP states as the samples saw them, for the report (and its trace).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "harness/observe/sock_diag.hpp"
#include "reports/record.hpp"

namespace sockdrill {

class SocketHistories {
 public:
  // Keeps the first `kept` connections; the others are only counted.
  explicit SocketHistories(std::size_t kept = reports::kSocketHistoriesKept) : kept_(kept) {}

  // One sample: `records` with `owners[i]` the peer index of records[i] (-1: none). `complete`:
  // the dump had every state, so a kept connection missing from it is gone. Costs one hash
  // look-up a socket; appends only on a change of state.
  void observe(double t_ms, const std::vector<SocketRecord>& records,
               const std::vector<int>& owners, bool complete);

  // Into the case's record, owners by name (`peer_names[i]`; "(unattributed)" for none).
  void fill(reports::CaseRecord& record, const std::vector<std::string>& peer_names) const;

 private:
  struct Kept {
    int owner = -1;
    TcpState state = TcpState::CLOSE;
    std::uint64_t last_sample = 0;
    reports::SocketHistory history;  // its peer is named at fill()
  };
  static constexpr std::int64_t kOmitted = -1;

  std::size_t kept_;
  std::unordered_map<std::uint64_t, std::int64_t> index_of_;  // cookie -> kept_ slot or kOmitted
  std::vector<Kept> sockets_;
  std::int64_t omitted_ = 0;
  std::uint64_t samples_ = 0;
};

}  // namespace sockdrill
