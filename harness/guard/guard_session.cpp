// guard's loop: a sample of the kernel's sockets every interval while the command runs, up to
// the settle time after it for processes that outlived it, then what those still hold.
#include "harness/guard/guard_session.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <algorithm>
#include <exception>
#include <tuple>
#include <unordered_set>

#include "harness/guard/close_wait_tracker.hpp"
#include "harness/guard/command_child.hpp"
#include "harness/guard/spawn_command.hpp"
#include "harness/guard/watched_tree.hpp"
#include "harness/observe/sock_diag.hpp"
#include "harness/observe/socket_leak_of.hpp"
#include "harness/run/isolation.hpp"

namespace sockdrill::guard {
namespace {

// Every state a socket held by a process can be in: request sockets (SYN_RECV) and TIME_WAIT
// belong to no descriptor, and there can be many of them.
const std::uint32_t kHeldStates = SockDiag::kAllStates & ~tcp_state_bit(TcpState::TIME_WAIT) &
                                  ~tcp_state_bit(TcpState::SYN_RECV);
// One sample in this many also reads every held state, to learn which processes hold TCP
// sockets (the JUnit report's testcases); the others read only CLOSE_WAIT.
constexpr std::uint64_t kFullSampleEvery = 10;

class Session {
 public:
  explicit Session(const GuardOptions& o)
      : options_(o), tree_(::getpid()), tracker_(o.settle_ms) {}

  GuardResult run(const sigset_t& waited) {
    result_.command = options_.command;
    result_.settle_ms = options_.settle_ms;
    result_.interval_ms = options_.interval_ms;
    const Spawned spawned = spawn_command(options_.command, waited);
    if (spawned.pid < 0) {
      result_.error = "cannot run " + options_.command.front() + ": " +
                      std::strerror(spawned.exec_errno);
      result_.exit_code = spawned.exec_errno == ENOENT ? 127 : 126;
      return std::move(result_);
    }
    CommandChild command(spawned.pid, waited, clock_);
    try {
      // Samples on a fixed grid (k * interval), not "interval after the last one": a slow
      // sample does not push every later one back.
      // The first one at the first grid point: the command has only just been started.
      command.wait_until(next_sample_ms());
      while (!command.done()) {
        sample();
        command.wait_until(next_sample_ms());
      }
      exit_ms_ = command.exit_ms();
      // Processes that outlived the command get the settle time to end on their own, sampled
      // meanwhile (the command's own sockets closed with it).
      const double deadline = exit_ms_ + options_.settle_ms;
      tree_.refresh();
      if (!tree_.members().empty()) sample();
      while (!tree_.members().empty() && clock_.now_ms() < deadline) {
        command.wait_until(std::min(deadline, next_sample_ms()));
        sample();
        tree_.refresh();
      }
      left_behind();
    } catch (const std::exception& e) {
      result_.error = e.what();
    }
    result_.leaks = tracker_.leaks();
    result_.leaks.insert(result_.leaks.end(), left_.begin(), left_.end());
    // In the order found (those of one sample by process and descriptor), CLOSE_WAIT first.
    std::stable_sort(result_.leaks.begin(), result_.leaks.end(), [](const SocketLeak& a, const SocketLeak& b) {
      return std::tuple(a.kind, a.since_ms, a.pid, a.fd) < std::tuple(b.kind, b.since_ms, b.pid, b.fd);
    });
    if (options_.keep && !result_.error) {
      tree_.refresh();
      result_.kept = tree_.members();
    } else {
      // Nothing left after the command (the usual case): no need to look again.
      if (!tree_.members().empty() || result_.error) result_.ended = command.end_all(tree_);
    }
    result_.exit_code = command.exit_code();
    result_.signal = command.signal();
    result_.command_exit_ms = exit_ms_;
    result_.processes = tree_.processes();
    result_.samples = samples_;
    result_.largest_gap_ms = largest_gap_ms_;
    result_.duration_ms = clock_.now_ms();
    return std::move(result_);
  }

 private:
  // The next point of the grid after now.
  double next_sample_ms() const {
    return (std::floor(clock_.now_ms() / options_.interval_ms) + 1) * options_.interval_ms;
  }

  bool counts(const SocketRecord& r) const {
    return !options_.allowed.count(r.state) && !options_.ignored_ports.count(r.sport) &&
           !options_.ignored_ports.count(r.dport);
  }

  // One dump (CLOSE_WAIT only, or every held state one time in kFullSampleEvery), fed to the
  // tracker; the tree's descriptors are read only when a socket has lasted the settle time or
  // on a full sample.
  void sample() {
    const bool full = samples_ % kFullSampleEvery == kFullSampleEvery - 1;
    ++samples_;
    const double at = clock_.now_ms();
    if (samples_ > 1) largest_gap_ms_ = std::max(largest_gap_ms_, at - last_sample_ms_);
    last_sample_ms_ = at;
    diag_.dump(full ? kHeldStates : tcp_state_bit(TcpState::CLOSE_WAIT), records_);
    close_wait_.clear();
    for (const SocketRecord& r : records_)
      if (r.state == TcpState::CLOSE_WAIT && counts(r)) close_wait_.push_back(r);
    std::vector<std::uint32_t> candidates = tracker_.sample(at, close_wait_);
    // Another program's CLOSE_WAIT (a host daemon's own leak) is looked for in the tree again
    // only on full samples, not at every one.
    if (full) foreign_.clear();
    std::erase_if(candidates, [&](std::uint32_t inode) { return foreign_.count(inode) > 0; });
    if (!full && candidates.empty()) return;
    tree_.refresh();
    const auto holders = tree_.holders();
    for (std::uint32_t inode : candidates) {
      auto it = holders.find(inode);
      if (it == holders.end()) {  // another program's socket, or closed since
        foreign_.insert(inode);
        continue;
      }
      Holder holder = it->second.front();
      holder.cmdline = tree_.command_line(holder.pid);
      tracker_.held_by(inode, holder);
      note_holders(it->second);
    }
    if (!full) return;
    for (const SocketRecord& r : records_) {
      auto it = holders.find(r.inode);
      if (r.inode != 0 && it != holders.end()) note_holders(it->second);
    }
  }

  void note_holders(const std::vector<Holder>& holders) {
    for (const Holder& h : holders) tree_.note_tcp_holder(h.pid);
  }

  // Sockets still held by processes that outlived the command, past the settle time.
  void left_behind() {
    if (tree_.members().empty()) return;
    diag_.dump(kHeldStates, records_);
    const auto holders = tree_.holders();
    std::unordered_set<std::uint64_t> reported;  // pid << 32 | fd of CLOSE_WAIT leaks
    for (const SocketLeak& l : tracker_.leaks())
      reported.insert(static_cast<std::uint64_t>(l.pid) << 32 | static_cast<std::uint32_t>(l.fd));
    const double at = clock_.now_ms();
    for (const SocketRecord& r : records_) {
      auto it = holders.find(r.inode);
      if (r.inode == 0 || it == holders.end()) continue;
      note_holders(it->second);
      const Holder& h = it->second.front();
      if (!counts(r) ||
          reported.count(static_cast<std::uint64_t>(h.pid) << 32 | static_cast<std::uint32_t>(h.fd)))
        continue;
      SocketLeak leak =
          socket_leak_of(r, LeakKind::left_behind, h.pid, h.fd, tree_.command_line(h.pid));
      leak.since_ms = exit_ms_;
      leak.held_ms = at - exit_ms_;
      leak.command_exit_ms = exit_ms_;
      left_.push_back(std::move(leak));
    }
  }

  const GuardOptions& options_;
  GuardClock clock_;
  WatchedTree tree_;
  CloseWaitTracker tracker_;
  SockDiag diag_;
  GuardResult result_;
  std::vector<SocketRecord> records_;
  std::vector<SocketRecord> close_wait_;
  std::vector<SocketLeak> left_;
  std::unordered_set<std::uint32_t> foreign_;  // candidates no process of the tree held
  std::uint64_t samples_ = 0;
  double last_sample_ms_ = 0;
  double largest_gap_ms_ = 0;
  double exit_ms_ = 0;  // when the command exited
};

}  // namespace

GuardResult watch_command(const GuardOptions& options) {
  std::string isolation = "host network namespace";
  if (options.isolate) {
    const IsolationInfo info = enter_case_namespaces();  // the parent waits here for good
    prepare_case_namespace(info);
    isolation = info.describe();
  }
  // PID 1 of its own PID namespace is the reaper there already; elsewhere guard must ask.
  if (::getpid() != 1 && ::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    GuardResult r;
    r.command = options.command;
    r.error = std::string("cannot become the subreaper of the command's processes: ") +
              std::strerror(errno);
    return r;
  }
  sigset_t waited;
  sigemptyset(&waited);
  for (int sig : {SIGCHLD, SIGTERM, SIGHUP, SIGINT}) sigaddset(&waited, sig);
  ::sigprocmask(SIG_BLOCK, &waited, nullptr);
  GuardResult result;
  try {
    Session session(options);
    result = session.run(waited);
  } catch (const std::exception& e) {  // the netlink socket could not be opened
    result.command = options.command;
    result.error = e.what();
  }
  result.isolation = isolation;
  result.kernel = kernel_version();
  return result;
}

}  // namespace sockdrill::guard
