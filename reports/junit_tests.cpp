// The tests of one case in JUnit: names from the record's typed fields, results, short messages
// and the observed values behind them.
#include "reports/junit_tests.hpp"

#include <algorithm>
#include <set>

#include "reports/shared_text.hpp"

namespace sockdrill::reports {
namespace {

using Result = JunitTest::Result;
constexpr std::size_t kMessageBytes = 200;  // a failure's one-line message
constexpr std::size_t kListedItems = 20;    // values or events listed, first and last halves

std::string ms_text(double ms) {
  return fixed_decimals(ms, 1) + " ms";
}

// Items joined with ", ", the middle ones counted when there are more than kListedItems.
template <typename Item, typename Text>
std::string listed(const std::vector<Item>& items, std::int64_t omitted_before, Text text) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  const std::size_t head = kListedItems / 2;
  std::int64_t omitted = omitted_before;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items.size() > kListedItems && i >= head && i < items.size() - head) {
      ++omitted;
      continue;
    }
    add(text(items[i]));
  }
  if (omitted > 0) out += " (and " + std::to_string(omitted) + " more not listed)";
  return out;
}

std::string event_text(const EventRecord& e) {
  std::string text = e.kind + "@" + ms_text(e.t_ms);
  if (e.errno_name) text += " " + *e.errno_name;
  if (e.code) text += " code " + std::to_string(*e.code);
  if (e.bytes) text += " " + std::to_string(*e.bytes) + " bytes";
  return text;
}

std::string counts_text(const StateCounts& counts) {
  std::string text;
  for (const auto& [state, n] : counts)
    text += (text.empty() ? "" : ", ") + state + "=" + std::to_string(n);
  return text.empty() ? "no sockets" : text;
}

// The message in full, then what was observed.
std::string expectation_details(const ExpectationRecord& x) {
  std::string text = x.where + ": " + x.pointer + ": " + x.message + "\n";
  const ObservedRecord& o = x.observed;
  if (!o.values.empty())
    text += "observed values: " + listed(o.values, o.values_omitted, [](const auto& tv) {
              return std::to_string(tv.second) + " from " + ms_text(tv.first);
            }) + "\n";
  if (o.last_sample)
    text += "last sample at " + ms_text(o.last_sample->t_ms) + ": " + o.last_sample->peer + ": " +
            counts_text(o.last_sample->sockets) + "\n";
  if (o.events)
    text += "events: " + (o.events->empty() ? std::string("none")
                                             : listed(*o.events, o.events_omitted, event_text)) +
            "\n";
  if (x.decided_at_ms) text += "decided at " + ms_text(*x.decided_at_ms) + "\n";
  return text;
}

JunitTest expectation_test(const CaseRecord& c, const ExpectationRecord& x) {
  JunitTest t;
  t.name = "expect[" + std::to_string(x.index) + "]" + (x.title.empty() ? "" : " " + x.title);
  t.time_ms = x.decided_at_ms.value_or(c.duration_ms);
  if (x.result == ExpectationRecord::Result::pass) return t;
  const bool undecided = x.result == ExpectationRecord::Result::undecided;
  t.result = undecided ? Result::error : Result::failure;
  t.message = first_line((undecided ? "undecided: " : "") + x.message, kMessageBytes);
  t.details = expectation_details(x);
  return t;
}

const CommandFailure* failure_of(const CaseRecord& c, const std::string& peer) {
  for (const CommandFailure& f : c.command_failures)
    if (f.peer == peer) return &f;
  return nullptr;
}

std::optional<double> exit_time(const CaseRecord& c, const std::string& peer) {
  for (const EventRecord& e : c.events)
    if (e.peer == peer && e.kind == "exit") return e.t_ms;
  return std::nullopt;
}

std::string with_stderr(std::string text, const PeerRecord& p) {
  for (const std::string& line : stderr_excerpt(p, kStderrLines)) text += line + "\n";
  return text;
}

JunitTest command_test(const CaseRecord& c, const PeerRecord& p) {
  JunitTest t;
  const int expected = *p.expected_exit_code;
  t.name = "command " + p.name + " exit_code " + std::to_string(expected);
  t.time_ms = exit_time(c, p.name).value_or(c.duration_ms);
  const std::string where = c.file + ": /peers/" + p.name + "/command/exit_code: ";
  if (const CommandFailure* f = failure_of(c, p.name)) {
    t.result = Result::failure;
    t.message = first_line(f->message, kMessageBytes);
    t.details = with_stderr(where + f->message + "\n", p);
  } else if (!p.exit_code || *p.exit_code != expected) {  // not judged: the case ended first
    const std::string state = !p.started   ? "did not start"
                              : p.exit_code ? "ended with status " + std::to_string(*p.exit_code) +
                                                  " as the case ended"
                                            : "had not exited";
    t.result = Result::error;
    t.message = first_line("not judged: " + outcome_text(c.outcome), kMessageBytes);
    t.details = with_stderr(where + "not judged: command \"" + p.name + "\" " + state +
                                "; the case ended: " + outcome_text(c.outcome) + "\n",
                            p);
  }
  return t;
}

bool judged(const ExpectationRecord& x) {
  return x.result != ExpectationRecord::Result::undecided;
}

JunitTest outcome_test(const CaseRecord& c) {
  JunitTest t;
  t.name = "outcome";
  t.time_ms = c.duration_ms;
  const Verdict v = c.outcome.verdict;
  if (v == Verdict::pass) return t;
  t.result = v == Verdict::fail ? Result::failure : v == Verdict::skip ? Result::skipped : Result::error;
  const std::string text = outcome_text(c.outcome);
  t.message = first_line(text.empty() ? std::string(verdict_name(v)) : text, kMessageBytes);
  for (const std::string& line : problem_lines(c)) t.details += line + "\n";
  return t;
}

// "NAME #2", "NAME #3", ... for a name already taken (only a malformed record repeats one).
void make_unique(std::vector<JunitTest>& tests) {
  std::set<std::string> taken;
  for (JunitTest& t : tests) {
    const std::string base = t.name;
    for (int n = 2; !taken.insert(t.name).second; ++n) t.name = base + " #" + std::to_string(n);
  }
}

}  // namespace

std::vector<JunitTest> junit_tests(const CaseRecord& c) {
  const Verdict v = c.outcome.verdict;
  std::vector<JunitTest> tests;
  bool any_judged = std::any_of(c.expectations.begin(), c.expectations.end(), judged);
  for (const ExpectationRecord& x : c.expectations) tests.push_back(expectation_test(c, x));
  for (const PeerRecord& p : c.peers) {
    if (!p.command || !p.expected_exit_code) continue;
    tests.push_back(command_test(c, p));
    any_judged = any_judged || tests.back().result != Result::error;
  }
  // An unresolved case looked at every expectation to the end: they keep their tests.
  const bool unresolved = v == Verdict::error && c.outcome.code == reason_code::unresolved;
  const bool ended_early = (v == Verdict::error || v == Verdict::skip) && !any_judged && !unresolved;
  if (ended_early) tests.clear();
  auto any = [&](Result r) {
    return std::any_of(tests.begin(), tests.end(), [&](const JunitTest& t) { return t.result == r; });
  };
  // The outcome is a test of its own unless the others say it: a failure shows in its failed
  // tests, an unresolved case in its undecided ones.
  const bool outcome_said =
      v == Verdict::pass || (v == Verdict::fail && any(Result::failure)) ||
      (unresolved && any(Result::error));
  if (tests.empty() || !outcome_said) tests.push_back(outcome_test(c));
  for (JunitTest& t : tests) t.time_ms = std::max(0.0, t.time_ms);
  make_unique(tests);
  return tests;
}

}  // namespace sockdrill::reports
