// What the runner counts itself for expectations: sockets filtered by their queues, and the
// namespace's TCP counters as increases since t = 0.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/case/case_model.hpp"
#include "harness/observe/sock_diag.hpp"

namespace sockdrill {

class RunnerCounts {
 public:
  explicit RunnerCounts(const CaseSpec& spec);

  // Reads the counters right before t = 0: every counter expectation counts from there. Returns
  // the first counter this kernel does not have (the case cannot be judged: skip), else nullopt.
  std::optional<std::string> start();

  // Whether any expectation is counted here: without one, count() is never called and an
  // observation ends where the read ended.
  bool needed() const { return !filtered_.empty() || !counters_.empty(); }

  // out[i] for every expectation it counts (-1 for the others, and for counters before start).
  // `owners[k]` is the peer of records[k] (-1: none).
  void count(const std::vector<SocketRecord>& records, const std::vector<int>& owners,
             std::vector<std::int64_t>& out) const;

 private:
  struct Filtered {
    std::size_t expectation;
    int peer;
    std::uint32_t states;  // tcp_state_bit mask
    std::optional<Quantity> recv_q, send_q;
  };
  struct Counter {
    std::size_t expectation;
    std::string name;
    std::int64_t baseline = 0;
  };
  std::size_t expectations_;
  std::vector<Filtered> filtered_;
  std::vector<Counter> counters_;
  bool started_ = false;
};

}  // namespace sockdrill
