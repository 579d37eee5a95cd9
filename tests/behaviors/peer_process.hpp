// Runs the sockdrill-peer binary for tests: config/start/cue lines in, protocol lines out.
#pragma once
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "tests/behaviors/config_line.hpp"

namespace sockdrill::testing {


// Moves this process into a fresh network namespace with loopback up, so ports and TIME_WAIT
// sockets of the test never meet the host's. Returns false (and stays) when not allowed.
inline bool enter_private_network() {
  static int state = 0;  // 0 untried, 1 entered, -1 not possible
  if (state != 0) return state == 1;
  state = -1;
  if (::unshare(CLONE_NEWNET) != 0) return false;
  int s = ::socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
    ifr.ifr_flags |= IFF_UP;
    if (::ioctl(s, SIOCSIFFLAGS, &ifr) == 0) state = 1;
  }
  ::close(s);
  return state == 1;
}

inline void raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

class PeerProcess {
 public:
  PeerProcess() {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::execl(SOCKDRILL_PEER_PATH, SOCKDRILL_PEER_PATH, static_cast<char*>(nullptr));
      _exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~PeerProcess() {
    close_stdin();
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(from_);
  }
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  void send(const Json& line) { send_raw(line.dump() + "\n"); }
  void send_raw(const std::string& text) {
    if (::write(to_, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
      throw std::runtime_error("write to peer failed");
  }
  void config(const Json& spec, const char* name = "p") { send(config_line(spec, name)); }
  void start(std::int64_t t0_ns) { send({{"type", "start"}, {"t0_ns", t0_ns}}); }
  void close_stdin() {
    if (to_ >= 0) ::close(to_);
    to_ = -1;
  }

  // Reads lines until `stop(line)` holds for one (returned) or `timeout_ms` passes.
  std::optional<Json> until(const std::function<bool(const Json&)>& stop, int timeout_ms = 5000) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      std::size_t nl;
      while ((nl = buffer_.find('\n')) != std::string::npos) {
        lines.push_back(Json::parse(buffer_.substr(0, nl)));
        buffer_.erase(0, nl + 1);
        if (stop(lines.back())) return lines.back();
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      pollfd p{from_, POLLIN, 0};
      // Polls at least once, so a timeout of 0 still takes what is already there.
      if (::poll(&p, 1, static_cast<int>(std::max<long>(left.count(), 0))) <= 0) {
        if (left.count() <= 0) return std::nullopt;
        continue;
      }
      char buf[65536];
      ssize_t n = ::read(from_, buf, sizeof buf);
      if (n <= 0) return std::nullopt;  // the peer closed its stdout
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }
  std::optional<Json> until_type(const std::string& type, int timeout_ms = 5000) {
    return until([&](const Json& j) { return j["type"] == type; }, timeout_ms);
  }
  std::optional<Json> until_event(const std::string& kind, int timeout_ms = 5000) {
    return until([&](const Json& j) { return j["type"] == "event" && j["kind"] == kind; },
                 timeout_ms);
  }
  // Every line read so far that is an event of `kind`.
  std::vector<Json> events(const std::string& kind) const {
    std::vector<Json> out;
    for (auto& j : lines)
      if (j["type"] == "event" && j["kind"] == kind) out.push_back(j);
    return out;
  }
  // Position of the first line read so far matching `pred`, or -1.
  int index_of(const std::function<bool(const Json&)>& pred) const {
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (pred(lines[i])) return static_cast<int>(i);
    return -1;
  }
  // The exit status (or 128 + signal), or -1 if still running after `timeout_ms`.
  int wait_exit(int timeout_ms) {
    for (int waited = 0; waited <= timeout_ms; waited += 10) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      ::usleep(10000);
    }
    return -1;
  }

  std::vector<Json> lines;

 private:
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  bool exited_ = false;
  std::string buffer_;
};

}  // namespace sockdrill::testing
