// What `explain` finds in a snapshot: one Finding per mechanism seen, from rules listed in one
// table (findings.cpp), one rule per file.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/field/snapshot.hpp"

namespace sockdrill::field {

struct Finding {
  std::string kind;                   // "forgotten_close", ...
  pid_t pid = 0;                      // 0: no single process
  std::string process;                // "java 4242: java -jar app.jar", or who it is about
  std::uint64_t count = 0;            // sockets (or resets, for reset_storm)
  std::vector<std::string> evidence;  // what in the snapshot shows it, one fact a line
  std::string kernel_will;            // what the kernel will do about it on its own
  std::string kernel_will_not;        // and what it will not
  std::string example_case;           // the case of cases/ that shows the mechanism
};

struct ExplainLimits {
  std::uint32_t min_age_ms = 1000;  // CLOSE_WAIT or unread data younger than this is no finding
  std::uint64_t pile = 100;         // sockets in one state that make a pile (TIME_WAIT, ...)
  std::uint64_t resets = 50;        // aborts between two snapshots that make a storm
};

struct ExplainInput {
  const Snapshot& now;
  const Snapshot* before = nullptr;  // an earlier snapshot of the same namespace: growth, rates
  ExplainLimits limits;
};

using FindingRule = void (*)(const ExplainInput& input, std::vector<Finding>& out);

struct FindingKind {
  const char* name;
  const char* about;  // one line: what it means
  FindingRule rule;
};

// Every kind, in the order findings are listed.
std::span<const FindingKind> finding_kinds();

// Every rule over the input, in table order.
std::vector<Finding> explain(const ExplainInput& input);

// Shared by the rules.
std::uint64_t count_of(const StateCounts& states, TcpState state);
const ProcessSockets* process_in(const Snapshot* snapshot, pid_t pid);
std::string process_text(const ProcessSockets& process);
// The increase of a counter from `before` to `now`, when both have it.
std::optional<std::int64_t> counter_increase(const ExplainInput& input, const std::string& name);
std::string sysctl_or(const Snapshot& snapshot, const std::string& name, const std::string& fallback);
// "ListenOverflows 40 since the namespace began, +12 in 2.0 s" (the rise with two snapshots);
// nullopt when the snapshot lacks the counter. `name` is nstat's ("TcpExtListenOverflows").
std::optional<std::string> counter_evidence(const ExplainInput& input, const std::string& name);
// "in 2.0 s" between the two snapshots.
std::string interval_text(const ExplainInput& input);

}  // namespace sockdrill::field
