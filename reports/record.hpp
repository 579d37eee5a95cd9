// What a run of cases produced, as plain data: every report writer reads this and nothing else.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.hpp"

namespace sockdrill::reports {

enum class Verdict { pass, fail, error, skip };

// Why a case is `error` (code) or `skip` (the missing mechanism). Empty for pass and fail.
namespace reason_code {
inline constexpr std::string_view unresolved = "unresolved";  // no observation could decide
inline constexpr std::string_view timeout = "timeout";
inline constexpr std::string_view peer_died = "peer_died";
inline constexpr std::string_view limit = "limit";  // a harness resource limit (fds, processes)
inline constexpr std::string_view interrupted = "interrupted";  // SIGINT (Ctrl-C), SIGTERM, SIGHUP
inline constexpr std::string_view harness = "harness";          // an internal failure
}  // namespace reason_code

struct Outcome {
  Verdict verdict = Verdict::error;
  std::string code;
  std::string reason;
  bool operator==(const Outcome&) const = default;
};

struct EventRecord {
  double t_ms = 0;
  std::string peer;  // empty inside an expectation's observed events (they are all its peer's)
  std::string kind;
  std::optional<int> conn, step;
  std::optional<std::string> errno_name;  // "errno" in JSON
  std::optional<int> code;
  std::optional<std::int64_t> bytes;
  std::string local, remote, detail;
  bool operator==(const EventRecord&) const = default;
};

// How many of a peer's events of one kind (and errno or exit code) a case had, and when the
// first and the last came: the whole story of a case whose list of events was cut.
struct EventCount {
  std::string peer, kind;
  std::optional<std::string> errno_name;  // "errno" in JSON
  std::optional<int> code;
  std::int64_t count = 0;
  double first_ms = 0, last_ms = 0;
  bool operator==(const EventCount&) const = default;
};
// How many events a case's report lists; the rest are counted in events_omitted (event_counts
// covers them all). 100,000 connections make 200,000 events and more.
inline constexpr std::size_t kEventsKept = 10000;

// Socket counts per state ("ESTABLISHED" -> 2).
using StateCounts = std::map<std::string, std::int64_t>;

struct SampleRecord {
  double t_ms = 0;
  std::map<std::string, StateCounts> sockets;  // per peer name, or "(unattributed)"
  bool operator==(const SampleRecord&) const = default;
};

struct LastSample {
  double t_ms = 0;
  std::string peer;
  StateCounts sockets;
  bool operator==(const LastSample&) const = default;
};

struct ObservedRecord {
  std::vector<std::pair<double, std::int64_t>> values;  // (t_ms, value) at each change
  std::int64_t values_omitted = 0;
  std::optional<LastSample> last_sample;
  std::optional<std::vector<EventRecord>> events;
  std::int64_t events_omitted = 0;
  bool operator==(const ObservedRecord&) const = default;
};

struct ExpectationRecord {
  enum class Result { pass, fail, undecided };
  std::size_t index = 0;
  Json expect;        // the entry as written in the case file
  std::string where;  // "FILE:LINE:COL"
  std::string pointer;
  // In a few words, from the typed expectation: "server CLOSE_WAIT count 1 by 1000 ms" (JUnit
  // names its test with it). Empty in records written before it existed.
  std::string title;
  Result result = Result::undecided;
  std::optional<double> decided_at_ms;
  std::string message;
  ObservedRecord observed;
  // The window ("by_ms": T is [0, T]; "from_ms", "until_ms") and the expectation in words
  // (`sockets of peer "client" in CLOSE_WAIT: count 1 by 1000 ms`), for charts. Reports from
  // before these fields have none.
  std::optional<double> window_from_ms, window_to_ms;
  std::string label;
  bool operator==(const ExpectationRecord&) const = default;
};

struct PeerRecord {
  std::string name;
  bool started = false;
  std::optional<std::int64_t> pid;
  std::optional<std::string> listening;  // "ADDR:PORT"
  std::optional<int> exit_code;
  bool command = false;  // a program under test; then argv, output and its expected status
  std::vector<std::string> argv;
  std::optional<int> expected_exit_code;
  std::string stdout_tail, stderr_tail;
  bool stdout_truncated = false, stderr_truncated = false;
  std::int64_t bytes_sent = 0, bytes_received = 0;
  bool operator==(const PeerRecord&) const = default;
};

struct CommandFailure {
  std::string peer;
  int expected = 0;
  int actual = 0;
  std::string message;
  std::optional<double> t_ms;
  bool operator==(const CommandFailure&) const = default;
};

// Something the runner did on the case's timeline.
struct TimelineNote {
  double t_ms = 0;
  std::string kind;  // "cue", "kill", "fault", "toxic", "start"
  std::string text;  // for people: the cue's name, "server KILL", ...
  Json detail;       // the timeline entry as written; null for a peer's start
  bool operator==(const TimelineNote&) const = default;
};

// One connection as the runner's samples saw it: the state it was in at each change, keyed by the
// kernel's socket cookie. A state that began and ended between two samples is not seen; in a
// table of over 2,000 sockets a state no expectation asks for is read every 20th sample only.
struct SocketHistory {
  std::uint64_t cookie = 0;
  std::string peer;           // its owner, or "(unattributed)"
  std::string local, remote;  // "ADDR:PORT"
  std::vector<std::pair<double, std::string>> states;  // (t_ms, "ESTABLISHED") at each change
  std::optional<double> gone_ms;  // the first complete sample without it
  bool operator==(const SocketHistory&) const = default;
};
// How many connections a case keeps a history of; the rest are counted in sockets_omitted.
inline constexpr std::size_t kSocketHistoriesKept = 4000;

struct CaseRecord {
  std::string name;
  std::optional<int> attempt;  // which run of the case (1, 2, ...) under --repeat; else unset
  std::string file;
  Outcome outcome;
  double duration_ms = 0;
  std::optional<std::uint64_t> seed;
  std::string kernel;
  std::map<std::string, std::string> sysctl;
  std::string isolation;
  std::int64_t sample_ms = 0;
  std::int64_t observations = 0;
  std::int64_t late_events = 0;
  // Repairs of the kernel's dumps (a dump read while the table changes can send a socket twice
  // or skip one): repeats dropped, skipped sockets found again by an exact lookup.
  std::int64_t dump_repeats_dropped = 0;
  std::int64_t dump_skips_found = 0;
  std::vector<PeerRecord> peers;
  std::vector<CommandFailure> command_failures;
  std::vector<ExpectationRecord> expectations;
  std::vector<EventRecord> events;       // at most kEventsKept: the first and last halves
  std::int64_t events_omitted = 0;        // events left out of `events`
  std::vector<EventCount> event_counts;  // every event, listed or not
  std::vector<TimelineNote> timeline;
  std::string nftables;  // the case's ruleset at the end, when it had one
  std::vector<SampleRecord> samples;
  std::vector<SocketHistory> sockets;  // at most kSocketHistoriesKept, in order of first sight
  std::int64_t sockets_omitted = 0;    // connections seen past that bound
  std::vector<std::string> warnings;
  std::string runner_stderr;
  std::string pcap;  // --pcap: the file holding the case's loopback packets, when one was made
  bool operator==(const CaseRecord&) const = default;
};

// How one run of a case is named wherever runs must be told apart (report files, JUnit suites):
// NAME for run 1 or the only run, NAME@2 for run 2 under --repeat.
std::string run_name(const CaseRecord& c);


// A case run more than once whose outcome changed: each outcome (verdict and reason code)
// with the first run that had it, in the order first seen.
struct FlakyOutcome {
  Verdict verdict = Verdict::error;
  std::string code;
  int attempt = 1;
  std::optional<std::uint64_t> seed;
  bool operator==(const FlakyOutcome&) const = default;
};
struct FlakyCase {
  std::string name;
  std::vector<FlakyOutcome> outcomes;  // two or more
  bool operator==(const FlakyCase&) const = default;
};

struct RunRecord {
  std::vector<CaseRecord> cases;
  std::optional<std::string> report_dir = std::nullopt;  // --report DIR, when given
  std::vector<FlakyCase> flaky = {};  // reports/flaky.hpp; "= {}": RunRecord{{cases}} needs no more
  bool operator==(const RunRecord&) const = default;
};

struct Totals {
  std::int64_t cases = 0, pass = 0, fail = 0, error = 0, skip = 0;
  std::int64_t flaky = 0;  // cases, not runs
};
Totals totals(const RunRecord& run);

// "pass", "fail", "error", "skip"; and back (nullopt for anything else).
std::string_view verdict_name(Verdict v);
std::optional<Verdict> verdict_from_name(std::string_view name);
// "pass", "fail", "undecided"; and back ("pending", the older word, reads as undecided).
std::string_view result_name(ExpectationRecord::Result r);
std::optional<ExpectationRecord::Result> result_from_name(std::string_view name);

// A case that ended in `error` before anything else could be recorded (no runner, no report).
CaseRecord error_case(std::string name, std::string file, std::string_view code,
                      std::string reason);

}  // namespace sockdrill::reports
