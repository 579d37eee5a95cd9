// Benchmark: bulk throughput through sockdrill-peer as a proxy (no toxics) against socat doing
// the same relay, and against no relay at all, in one run.
//
// Everything happens on loopback in a private network namespace. Each transfer is one TCP
// connection carrying --mib MiB (256 by default): a sender (this benchmark's thread, blocking
// send() of 64 KiB) connects, either straight to the sink or to a relay in front of it, and the
// sink (a thread of this process, blocking recv() of 64 KiB) counts the bytes. The time runs from
// the sender's connect() to the sink having received every byte (manual time), so the relay's
// accept and its connect to the sink are inside it. Every blocking call has a timeout.
//
//   direct     sender -> sink
//   sockdrill  sender -> sockdrill-peer, config {"proxy":{"listen":...,"to":SINK}} -> sink
//   socat      sender -> socat TCP-LISTEN:P,bind=127.0.0.1,reuseaddr TCP:127.0.0.1:SINK -> sink
//   socat_b65536   the same with -b65536: socat's default buffer is 8 KiB; sockdrill-peer reads
//                  up to 256 KiB at a time; this row shows how much of the gap is the buffer
//
// sockdrill-peer is started once per repetition and relays every iteration's connection; its
// stdout (a "bytes_received" and a "bytes_sent" event line per run of reads) is drained by a
// thread, as the runner does, and the lines are counted. socat without `fork` serves one
// connection and exits, so it is started for each iteration, outside the timed part. Each child
// gets PR_SET_PDEATHSIG(SIGKILL) and is reaped (killed if need be) before its benchmark returns.
//
// Each benchmark does 5 repetitions (--repetitions) of 3 transfers, in random order across the benchmarks
// (--benchmark_enable_random_interleaving=true unless given), so that load drifting on a shared
// machine weighs on every row alike. After Google Benchmark's table, the medians of the same run
// and the ratios are printed; the headline is sockdrill/socat (socat as Debian ships it, default
// buffer). relay_cpu_s/GiB is the user + system CPU the relay process used (wait4's rusage) per
// GiB relayed, which load on the machine disturbs much less than the rates. The sockdrill rows
// also count what the peer wrote on its stdout per MiB relayed (lines/MiB, out_B/MiB).
//
// Flags (before Google Benchmark's own): --mib=N (bytes per transfer, in MiB, 1..4096),
// --repetitions=R (1..100, default 5), --peer=PATH (default: the sockdrill-peer built beside
// this program), --socat=PATH, --results=FILE (the medians and ratios against socat -b65536 as
// tab-separated rows, for scripts/bench.sh).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "bench/flags.hpp"
#include "protocol/peer_config.hpp"
#include "protocol/runner_messages.hpp"
#include "tests/observe/netns.hpp"

#ifndef SOCKDRILL_PEER_PATH
#error "SOCKDRILL_PEER_PATH (the sockdrill-peer binary) must be defined by the build"
#endif

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::size_t kChunk = 64 * 1024;     // send() and recv() sizes, sender and sink alike
constexpr int kSocketTimeoutS = 30;           // SO_RCVTIMEO / SO_SNDTIMEO on every test socket
constexpr auto kAcceptTimeout = 30s;          // the sink waits this long for its connection
constexpr auto kListenTimeout = 5s;           // a fresh socat gets this long to listen
constexpr auto kPeerStartTimeout = 10s;       // config line to {"type":"ready"}
constexpr auto kExitTimeout = 5s;             // then SIGKILL

std::string peer_path = SOCKDRILL_PEER_PATH;
std::string socat_path = "socat";
std::uint64_t transfer_bytes = 256ull << 20;
int repetitions = 5;
std::string results_path;

[[noreturn]] void sys_fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), "proxy_bench: " + what);
}

std::string errno_text(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}

void set_timeouts(int fd) {
  timeval tv{kSocketTimeoutS, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

// A listening socket on 127.0.0.1, on a port the kernel picks.
struct Listener {
  int fd = -1;
  std::uint16_t port = 0;
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = loopback(0);
    socklen_t length = sizeof a;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), length) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length) != 0)
      sys_fail("sink listener");
    port = ntohs(a.sin_port);
  }
  ~Listener() { close(fd); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
};

// A port nobody listens on now (for socat, which cannot tell us the one it got).
std::uint16_t free_port() {
  Listener probe;
  return probe.port;
}

// ---- child processes ----

struct Child {
  pid_t pid = -1;
  int stdin_fd = -1;   // ours to write, when piped
  int stdout_fd = -1;  // ours to read, when piped
};

// fork + exec with PR_SET_PDEATHSIG(SIGKILL), so that no child outlives the benchmark whatever
// happens to it. With `pipes`, the child's stdin and stdout are pipes to us; otherwise /dev/null.
// stderr is shared, so a child's complaint shows.
Child spawn(const std::vector<std::string>& args, bool pipes) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int in[2] = {-1, -1}, out[2] = {-1, -1};
  if (pipes && (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)) sys_fail("pipe2");
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) sys_fail("open /dev/null");
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) sys_fail("fork");
  if (pid == 0) {  // only async-signal-safe calls from here on
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    signal(SIGPIPE, SIG_DFL);
    dup2(pipes ? in[0] : null_fd, STDIN_FILENO);
    dup2(pipes ? out[1] : null_fd, STDOUT_FILENO);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(null_fd);
  Child c;
  c.pid = pid;
  if (pipes) {
    close(in[0]);
    close(out[1]);
    c.stdin_fd = in[1];
    c.stdout_fd = out[0];
  }
  return c;
}

double cpu_seconds(const rusage& usage) {
  auto s = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

// Waits up to `timeout` for the child to exit, then SIGKILLs and reaps it. Returns true if it
// exited by itself; adds the CPU time it used (user + system) to `*cpu`.
bool reap(pid_t pid, Clock::duration timeout, double* cpu = nullptr) {
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  rusage usage{};
  bool exited = false;
  while (Clock::now() < deadline) {
    pid_t r = wait4(pid, &status, WNOHANG, &usage);
    if (r == pid || (r < 0 && errno == ECHILD)) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(1ms);
  }
  if (!exited) {
    kill(pid, SIGKILL);
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
  }
  if (cpu) *cpu += cpu_seconds(usage);
  return exited;
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {  // bounded: each pass writes something or returns
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR)
      continue;
    else
      return false;
  }
  return true;
}

// ---- one transfer ----

struct SinkResult {
  std::uint64_t received = 0;
  Clock::time_point done{};
  std::string error;
};

// Accepts one connection on `listener`, receives `bytes` and notes when the last one came, then
// expects EOF and closes.
void sink(int listener, std::uint64_t bytes, const std::atomic<bool>& give_up, SinkResult& r) {
  const auto deadline = Clock::now() + kAcceptTimeout;
  for (;;) {
    if (give_up.load() || Clock::now() >= deadline) {
      r.error = "the sink got no connection";
      return;
    }
    pollfd p{listener, POLLIN, 0};
    if (poll(&p, 1, 100) > 0) break;
  }
  int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) {
    r.error = errno_text("sink accept", errno);
    return;
  }
  set_timeouts(fd);
  std::vector<char> buffer(kChunk);
  while (r.received < bytes) {  // bounded: every pass receives, or fails (timeout included)
    ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
    if (n > 0) {
      r.received += static_cast<std::uint64_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      r.error = n == 0 ? "sink: EOF after " + std::to_string(r.received) + " bytes"
                       : errno_text("sink recv after " + std::to_string(r.received) + " bytes", errno);
      break;
    }
  }
  r.done = Clock::now();
  if (r.error.empty()) {
    for (int pass = 0; pass < 100; ++pass) {  // the sender's FIN, relayed
      ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) r.error = "sink: more bytes than were sent";
      break;
    }
  }
  close(fd);
}

// One connection carrying transfer_bytes to the sink, through whatever listens on `port`.
// Returns the seconds from connect() to the sink's last byte. With `retry_refused`, a refused
// connect is tried again for up to kListenTimeout (a relay just started, not yet listening).
std::optional<double> transfer(std::uint16_t port, const Listener& sink_listener, bool retry_refused,
                               std::string& error) {
  static const std::vector<char> payload(kChunk, 'x');
  std::atomic<bool> give_up{false};
  SinkResult result;
  std::thread sink_thread(sink, sink_listener.fd, transfer_bytes, std::cref(give_up), std::ref(result));

  Clock::time_point t0;
  int fd = -1;
  const sockaddr_in to = loopback(port);
  const auto deadline = Clock::now() + kListenTimeout;
  for (;;) {  // bounded by the deadline
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      error = errno_text("socket", errno);
      break;
    }
    t0 = Clock::now();
    if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0) break;
    const int err = errno;
    close(fd);
    fd = -1;
    if (!retry_refused || err != ECONNREFUSED || Clock::now() >= deadline) {
      error = errno_text("connect to port " + std::to_string(port), err);
      break;
    }
    std::this_thread::sleep_for(1ms);
  }
  if (fd >= 0) {
    set_timeouts(fd);
    std::uint64_t sent = 0;
    while (sent < transfer_bytes) {  // bounded: every pass sends, or fails (timeout included)
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, transfer_bytes - sent));
      ssize_t n = send(fd, payload.data(), want, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<std::uint64_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        error = errno_text("send after " + std::to_string(sent) + " bytes", errno);
        break;
      }
    }
    if (error.empty()) {
      shutdown(fd, SHUT_WR);
      // Wait for the relay to close its side too (the sink closed after our FIN), so that the
      // next transfer starts with this one gone.
      char byte;
      for (int pass = 0; pass < 100; ++pass) {
        ssize_t n = recv(fd, &byte, 1, 0);
        if (n < 0 && errno == EINTR) continue;
        break;
      }
    }
    close(fd);
  } else {
    give_up = true;
  }
  sink_thread.join();
  if (error.empty() && !result.error.empty()) error = result.error;
  if (!error.empty()) return std::nullopt;
  return std::chrono::duration<double>(result.done - t0).count();
}

void finish(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * transfer_bytes));
  state.counters["MiB"] = static_cast<double>(transfer_bytes >> 20);
}

// ---- the three benchmarks ----

void bench_direct(benchmark::State& state) {
  Listener sink_listener;
  std::string error;
  for (auto _ : state) {
    auto seconds = transfer(sink_listener.port, sink_listener, false, error);
    if (!seconds) {
      state.SkipWithError(error.c_str());
      break;
    }
    state.SetIterationTime(*seconds);
  }
  finish(state);
}

// sockdrill-peer as a proxy in front of the sink, driven as the runner drives it.
class PeerProxy {
 public:
  explicit PeerProxy(std::uint16_t sink_port) : child_(spawn({peer_path}, true)) {
    // The config line and the start line as the runner writes them (protocol/), so the bench
    // follows the protocol as it changes.
    sockdrill::protocol::PeerConfig relay;
    relay.role = sockdrill::protocol::PeerConfig::Role::proxy;
    relay.name = "relay";
    relay.seed = 1;
    relay.listen = {"127.0.0.1", 0};
    relay.to = {"127.0.0.1", sink_port};
    const std::string config = sockdrill::protocol::to_json(relay).dump() + "\n";
    if (!write_all(child_.stdin_fd, config)) {
      error_ = errno_text("writing the config line to sockdrill-peer", errno);
      return;
    }
    // Its lines up to {"type":"ready"}: the port it listens on comes in {"type":"bound"}.
    std::string pending;
    const auto deadline = Clock::now() + kPeerStartTimeout;
    bool ready = false;
    while (!ready && error_.empty()) {  // bounded by the deadline
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd p{child_.stdout_fd, POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        error_ = "sockdrill-peer did not say {\"type\":\"ready\"} within 10 s";
        break;
      }
      char chunk[4096];
      ssize_t n = read(child_.stdout_fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = "sockdrill-peer closed its stdout before {\"type\":\"ready\"}";
        break;
      }
      pending.append(chunk, static_cast<std::size_t>(n));
      std::size_t nl;
      while (!ready && (nl = pending.find('\n')) != std::string::npos) {
        const std::string line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        ++lines_;
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        const std::string type = j.is_object() ? j.value("type", "") : "";
        if (type == "bound" && j.contains("port") && j["port"].is_number_integer())
          port_ = static_cast<std::uint16_t>(j["port"].get<int>());
        else if (type == "fatal" || type == "ready")
          ready = type == "ready";
        if (type == "fatal") error_ = "sockdrill-peer: " + line;
      }
    }
    if (error_.empty() && port_ == 0) error_ = "sockdrill-peer was ready without a bound line";
    if (error_.empty() && !write_all(child_.stdin_fd, sockdrill::protocol::to_line(sockdrill::protocol::Start{0}) + "\n"))
      error_ = errno_text("writing the start line to sockdrill-peer", errno);
    for (char c : pending) lines_ += c == '\n';
    // From now on a thread reads its stdout to the end, or the peer would block on a full pipe.
    drain_ = std::thread([this] {
      std::vector<char> chunk(kChunk);
      for (;;) {  // bounded by the peer's life: its exit closes the pipe
        ssize_t n = read(child_.stdout_fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::uint64_t count = 0;
        for (ssize_t i = 0; i < n; ++i) count += chunk[static_cast<std::size_t>(i)] == '\n';
        lines_ += count;
        output_bytes_ += static_cast<std::uint64_t>(n);
      }
    });
  }

  ~PeerProxy() { stop(); }

  // Closing its stdin makes it exit (SIGKILL if it does not within kExitTimeout). Returns the
  // CPU seconds the peer used, over its whole life.
  double stop() {
    if (child_.pid < 0) return 0;
    close(child_.stdin_fd);
    double cpu = 0;
    if (!reap(child_.pid, kExitTimeout, &cpu))
      std::fprintf(stderr, "proxy_bench: sockdrill-peer did not exit when its stdin closed (killed)\n");
    child_.pid = -1;
    drain_.join();
    close(child_.stdout_fd);
    return cpu;
  }
  PeerProxy(const PeerProxy&) = delete;
  PeerProxy& operator=(const PeerProxy&) = delete;

  const std::string& error() const { return error_; }
  std::uint16_t port() const { return port_; }
  std::uint64_t lines() const { return lines_.load(); }
  std::uint64_t output_bytes() const { return output_bytes_.load(); }

 private:
  Child child_;
  std::string error_;
  std::uint16_t port_ = 0;
  std::thread drain_;
  std::atomic<std::uint64_t> lines_{0}, output_bytes_{0};
};

void bench_sockdrill(benchmark::State& state) {
  Listener sink_listener;
  std::uint64_t lines_before = 0, lines_after = 0, out_before = 0, out_after = 0;
  double relay_cpu = 0;
  {
    PeerProxy proxy(sink_listener.port);
    std::string error = proxy.error();
    if (error.empty()) {
      lines_before = proxy.lines();
      out_before = proxy.output_bytes();
    }
    for (auto _ : state) {
      if (!error.empty()) {
        state.SkipWithError(error.c_str());
        break;
      }
      auto seconds = transfer(proxy.port(), sink_listener, false, error);
      if (!seconds) {
        state.SkipWithError(error.c_str());
        break;
      }
      state.SetIterationTime(*seconds);
    }
    std::this_thread::sleep_for(50ms);  // let the drain catch up with the last close events
    lines_after = proxy.lines();
    out_after = proxy.output_bytes();
    relay_cpu = proxy.stop();
  }
  finish(state);
  const double mib = static_cast<double>(state.iterations() * transfer_bytes) / (1 << 20);
  if (mib > 0) {
    state.counters["relay_cpu_s/GiB"] = relay_cpu / (mib / 1024);
    // What the peer wrote on its stdout while relaying: one line per read or write it made.
    state.counters["lines/MiB"] = static_cast<double>(lines_after - lines_before) / mib;
    state.counters["out_B/MiB"] = static_cast<double>(out_after - out_before) / mib;
  }
}

// `buffer` empty: socat's default (-b 8192); else e.g. "-b65536", the sender's and sink's size.
void bench_socat(benchmark::State& state, std::string buffer) {
  Listener sink_listener;
  const std::string to = "TCP:127.0.0.1:" + std::to_string(sink_listener.port);
  std::string error;
  double relay_cpu = 0;
  for (auto _ : state) {
    // One connection per socat (no `fork`): a fresh one each iteration, started before the clock.
    const std::uint16_t port = free_port();
    std::vector<std::string> args = {socat_path};
    if (!buffer.empty()) args.push_back(buffer);
    args.push_back("TCP-LISTEN:" + std::to_string(port) + ",bind=127.0.0.1,reuseaddr");
    args.push_back(to);
    Child socat = spawn(args, false);
    auto seconds = transfer(port, sink_listener, true, error);
    const bool exited = reap(socat.pid, kExitTimeout, &relay_cpu);
    if (!seconds) {
      state.SkipWithError(error.c_str());
      break;
    }
    if (!exited) {
      state.SkipWithError("socat did not exit after its connection ended (killed)");
      break;
    }
    state.SetIterationTime(*seconds);
  }
  finish(state);
  const double gib = static_cast<double>(state.iterations() * transfer_bytes) / (1 << 30);
  if (gib > 0) state.counters["relay_cpu_s/GiB"] = relay_cpu / gib;
}

// The table as usual, then the medians of this run side by side with their ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const std::string& name = run.run_name.function_name;
      auto& into = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median" ? median_
                   : run.run_type == Run::RT_Iteration ? single_  // when run without repetitions
                                                       : ignored_;
      for (const auto& [counter, value] : run.counters) into[name][counter] = value.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    auto get = [&](const std::string& name, const std::string& counter) {
      for (auto* source : {&median_, &single_}) {
        auto it = source->find(name);
        if (it == source->end()) continue;
        auto c = it->second.find(counter);
        if (c != it->second.end()) return c->second;
      }
      return 0.0;
    };
    auto rate = [&](const std::string& name) { return get(name, "bytes_per_second"); };
    const double direct = rate("bulk/direct"), sockdrill = rate("bulk/sockdrill"),
                 socat = rate("bulk/socat"), socat_64k = rate("bulk/socat_b65536");
    auto mibs = [](double bps) { return bps / (1 << 20); };
    std::printf("\nbulk transfer, one TCP connection of %llu MiB on loopback, median of the repetitions\n",
                static_cast<unsigned long long>(transfer_bytes >> 20));
    std::printf("(relay CPU: user + system seconds the relay process used per GiB relayed)\n");
    std::printf("  direct         %10.1f MiB/s\n", mibs(direct));
    std::printf("  sockdrill      %10.1f MiB/s   relay CPU %.3f s/GiB\n", mibs(sockdrill),
                get("bulk/sockdrill", "relay_cpu_s/GiB"));
    std::printf("  socat          %10.1f MiB/s   relay CPU %.3f s/GiB   (its default buffer, 8 KiB)\n",
                mibs(socat), get("bulk/socat", "relay_cpu_s/GiB"));
    std::printf("  socat -b65536  %10.1f MiB/s   relay CPU %.3f s/GiB   (64 KiB; sockdrill-peer reads up to 256 KiB)\n",
                mibs(socat_64k), get("bulk/socat_b65536", "relay_cpu_s/GiB"));
    if (socat > 0 && sockdrill > 0) std::printf("  ratio sockdrill/socat = %.3f\n", sockdrill / socat);
    if (socat_64k > 0 && sockdrill > 0)
      std::printf("  ratio sockdrill/socat_b65536 = %.3f\n", sockdrill / socat_64k);
    if (direct > 0) {
      if (sockdrill > 0) std::printf("  ratio sockdrill/direct = %.3f\n", sockdrill / direct);
      if (socat > 0) std::printf("  ratio socat/direct = %.3f\n", socat / direct);
    }
    std::fflush(stdout);
    if (!results_path.empty()) write_results(get);
  }

 private:
  using Counters = std::map<std::string, std::map<std::string, double>>;
  Counters median_, single_, ignored_;

  // Rows of key, name, median, unit, ratio, against: each relay's rate and CPU per GiB, the
  // ratios against socat -b65536 (the yardstick: the same 64 KiB buffer).
  template <typename Get>
  void write_results(const Get& get) const {
    std::FILE* out = std::fopen(results_path.c_str(), "a");
    if (out == nullptr) {
      std::fprintf(stderr, "proxy_bench: cannot write %s: %s\n", results_path.c_str(), std::strerror(errno));
      return;
    }
    const double yardstick_rate = get("bulk/socat_b65536", "bytes_per_second");
    const double yardstick_cpu = get("bulk/socat_b65536", "relay_cpu_s/GiB");
    const char* against = "socat -b65536";
    struct Relay {
      const char* key;
      const char* name;
      const char* benchmark;
    };
    for (const Relay& r : {Relay{"sockdrill", "sockdrill-peer proxy", "bulk/sockdrill"},
                           Relay{"socat_b65536", "socat -b65536", "bulk/socat_b65536"},
                           Relay{"socat", "socat (8 KiB buffer)", "bulk/socat"},
                           Relay{"direct", "no relay", "bulk/direct"}}) {
      const double rate = get(r.benchmark, "bytes_per_second");
      if (rate <= 0) continue;
      std::fprintf(out, "proxy.%s.rate\tproxy: %s throughput\t%.1f\tMiB/s\t%.3f\t%s\n", r.key, r.name,
                   rate / (1 << 20), yardstick_rate > 0 ? rate / yardstick_rate : 0.0, against);
      const double cpu = get(r.benchmark, "relay_cpu_s/GiB");
      if (std::string(r.key) != "direct")
        std::fprintf(out, "proxy.%s.cpu\tproxy: %s CPU per GiB\t%.3f\ts/GiB\t%.3f\t%s\n", r.key, r.name, cpu,
                     yardstick_cpu > 0 ? cpu / yardstick_cpu : 0.0, against);
    }
    std::fclose(out);
  }
};

}  // namespace

int main(int argc, char** argv) {
  using sockdrill::bench::take_flag;
  // Our flags, taken out before Google Benchmark sees the rest.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string value;
    if (take_flag(argv[i], "--mib", value)) {
      char* end = nullptr;
      const unsigned long mib = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || mib < 1 || mib > 4096) {
        std::fprintf(stderr, "proxy_bench: --mib expects 1..4096, got \"%s\"\n", value.c_str());
        return 2;
      }
      transfer_bytes = static_cast<std::uint64_t>(mib) << 20;
    } else if (take_flag(argv[i], "--peer", value)) {
      peer_path = value;
    } else if (take_flag(argv[i], "--socat", value)) {
      socat_path = value;
    } else if (take_flag(argv[i], "--results", value)) {
      results_path = value;
    } else if (take_flag(argv[i], "--repetitions", value)) {
      repetitions = std::atoi(value.c_str());
      if (repetitions < 1 || repetitions > 100) {
        std::fprintf(stderr, "proxy_bench: --repetitions expects 1..100, got \"%s\"\n", value.c_str());
        return 2;
      }
    } else {
      argv[kept++] = argv[i];
    }
  }
  if (!sockdrill::bench::initialize_interleaved(kept, argv)) return 1;

  signal(SIGPIPE, SIG_IGN);
  if (access(peer_path.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "proxy_bench: %s is not executable (--peer=PATH)\n", peer_path.c_str());
    return 1;
  }
  // A namespace of our own, before any thread exists: every socket, socat and the peer live there.
  sockdrill::testing::enter_fresh_netns();

  std::vector<benchmark::internal::Benchmark*> benchmarks = {
      benchmark::RegisterBenchmark("bulk/direct", bench_direct),
      benchmark::RegisterBenchmark("bulk/sockdrill", bench_sockdrill),
      benchmark::RegisterBenchmark("bulk/socat", bench_socat, std::string()),
      benchmark::RegisterBenchmark("bulk/socat_b65536", bench_socat, std::string("-b65536"))};
  for (benchmark::internal::Benchmark* b : benchmarks) {
    b->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->Iterations(3)
        ->Repetitions(repetitions)
        ->ReportAggregatesOnly(true);
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
