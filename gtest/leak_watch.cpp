// Settles the sockets a test opened into leaks: CLOSE_WAIT past settle_ms; in strict mode, open.
#include "leak_watch.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <thread>
#include <unordered_map>
#include <utility>

#include "harness/observe/socket_leak_of.hpp"

namespace sockdrill::testing::detail {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(10);

// /proc/self/cmdline with its NULs as spaces, as SocketLeak::cmdline says.
std::string own_cmdline() {
  std::string text;
  const int fd = ::open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  while (!text.empty() && text.back() == '\0') text.pop_back();
  std::replace(text.begin(), text.end(), '\0', ' ');
  return text;
}

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// A socket the test opened, as the last poll saw it.
struct Watched {
  HeldSocket held;
  Clock::time_point since;  // when a poll first saw it in held.record.state
  bool seen = true;         // by the current poll; a socket no poll sees any more was closed
};

}  // namespace

LeakWatch::LeakWatch(LeakCheckOptions options, HeldSocketSource& source)
    : options_(std::move(options)), source_(source), cmdline_(own_cmdline()) {}

void LeakWatch::test_started() {
  before_test_.clear();
  for (std::uint32_t inode : source_.socket_inodes()) before_test_.insert(inode);
  test_start_ = Clock::now();
}

bool LeakWatch::ignored(const SocketRecord& record) const {
  const auto& ports = options_.ignored_ports;
  return std::find(ports.begin(), ports.end(), record.sport) != ports.end() ||
         std::find(ports.begin(), ports.end(), record.dport) != ports.end();
}

std::vector<SocketLeak> LeakWatch::test_ended() {
  const auto settle = std::chrono::milliseconds(options_.settle_ms);
  const Clock::time_point test_end = Clock::now();
  // Only the states that can be reported: fewer records to read on a host with many sockets.
  // (TIME_WAIT never: no descriptor holds it.)
  const std::uint32_t states = options_.strict
                                   ? SockDiag::kAllStates & ~tcp_state_bit(TcpState::TIME_WAIT)
                                   : tcp_state_bit(TcpState::CLOSE_WAIT);
  std::unordered_map<std::uint32_t, Watched> watched;  // by inode
  std::unordered_set<std::uint32_t> reported;
  std::vector<SocketLeak> leaks;

  for (;;) {
    const Clock::time_point now = Clock::now();
    for (auto& entry : watched) entry.second.seen = false;
    for (const HeldSocket& held : source_.held_tcp_sockets(states)) {
      const std::uint32_t inode = held.record.inode;
      if (before_test_.count(inode) || reported.count(inode) || ignored(held.record)) continue;
      auto [it, added] = watched.try_emplace(inode, Watched{held, now});
      if (!added && it->second.held.record.state != held.record.state) it->second.since = now;
      it->second.held = held;
      it->second.seen = true;
    }
    std::erase_if(watched, [](const auto& entry) { return !entry.second.seen; });

    bool pending = false;
    for (auto it = watched.begin(); it != watched.end();) {
      const Watched& socket = it->second;
      const bool close_wait = socket.held.record.state == TcpState::CLOSE_WAIT;
      if (!close_wait && !options_.strict) {  // not a leak unless it comes to CLOSE_WAIT
        ++it;
        continue;
      }
      Clock::time_point due = close_wait ? socket.since + settle : test_end + settle;
      if (options_.strict) due = std::max(due, test_end + settle);
      if (now < due) {
        pending = true;
        ++it;
        continue;
      }
      const SocketRecord& record = socket.held.record;
      SocketLeak leak = socket_leak_of(record, close_wait ? LeakKind::close_wait : LeakKind::still_open,
                                       ::getpid(), socket.held.fd, cmdline_);
      leak.since_ms = ms_between(test_start_, socket.since);
      leak.held_ms = ms_between(socket.since, now);
      leaks.push_back(std::move(leak));
      reported.insert(it->first);
      it = watched.erase(it);
    }
    if (!pending) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  std::sort(leaks.begin(), leaks.end(),
            [](const SocketLeak& a, const SocketLeak& b) { return a.fd < b.fd; });
  return leaks;
}

}  // namespace sockdrill::testing::detail
