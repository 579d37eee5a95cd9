// Benchmark: SockDiag::dump against `ss -tanH` (the reference) and /proc/net/tcp{,6}, same sockets.
//
// Each connection count gets a private network namespace holding N loopback connections (2N+1
// sockets with the listener); every method reads that same namespace, then the ratios are
// printed after Google Benchmark's table. The server ends stay in the accept queue (ESTABLISHED
// all the same) so that 10,000 connections fit in a 20,000-descriptor limit.
//
// By default each namespace has a private TCP established hash sized for its sockets, as the
// runner should give its cases (see set_child_tcp_ehash_entries); --shared_ehash measures
// namespaces that share the host's table instead, which every dump walks whole.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "harness/observe/sock_diag.hpp"
#include "tests/observe/netns.hpp"

extern char** environ;

namespace {

using sockdrill::SockDiag;
using sockdrill::SocketRecord;

const std::vector<int> kConnectionCounts = {1'000, 10'000};

[[noreturn]] void sys_fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), "observe_bench: " + what);
}

// A network namespace with N established loopback connections, kept open for the whole run.
struct World {
  int connections = 0;
  int netns_fd = -1;
  std::vector<int> fds;
  std::unique_ptr<SockDiag> diag;
};
std::map<int, World> worlds;

bool shared_ehash = false;

void build_world(int connections) {
  if (!shared_ehash) {
    sockdrill::testing::enter_fresh_netns();  // a namespace of our own to set the child table in
    sockdrill::set_child_tcp_ehash_entries(static_cast<std::uint32_t>(2 * connections));
  }
  sockdrill::testing::enter_fresh_netns();
  World& w = worlds[connections];
  w.connections = connections;
  w.netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (w.netns_fd < 0) sys_fail("open /proc/self/ns/net");
  w.diag = std::make_unique<SockDiag>();

  // somaxconn is per namespace; raise it so the accept queue holds every connection.
  {
    int fd = open("/proc/sys/net/core/somaxconn", O_WRONLY | O_CLOEXEC);
    const std::string value = std::to_string(connections + 16);
    if (fd < 0 || write(fd, value.data(), value.size()) != static_cast<ssize_t>(value.size()))
      sys_fail("raising net.core.somaxconn to " + value);
    close(fd);
  }
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(listener, connections + 16) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    sys_fail("listener");
  w.fds.push_back(listener);
  for (int i = 0; i < connections; ++i) {
    int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (client < 0 || connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      sys_fail("connect number " + std::to_string(i));
    w.fds.push_back(client);
  }
}

void enter_world(int connections) {
  if (setns(worlds.at(connections).netns_fd, CLONE_NEWNET) != 0) sys_fail("setns");
}

std::size_t count_lines(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

// Runs `ss -tanH` with its output on a pipe, and returns that output.
std::string run_ss(std::string& output) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) sys_fail("pipe2");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  char* argv[] = {const_cast<char*>("ss"), const_cast<char*>("-tanH"), nullptr};
  pid_t pid = -1;
  int err = posix_spawnp(&pid, "ss", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (err != 0) {
    close(pipe_fds[0]);
    errno = err;
    sys_fail("posix_spawnp ss");
  }
  output.clear();
  char chunk[65536];
  for (;;) {
    ssize_t n = read(pipe_fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(chunk, static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("observe_bench: ss -tanH failed, expected exit status 0");
  return output;
}

// Reads a /proc/net/tcp-style file and parses each line's ports and state, as a reader must.
std::size_t read_proc_table(const char* path, std::string& text) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) sys_fail(std::string("open ") + path);
  text.clear();
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
  }
  close(fd);
  std::size_t sockets = 0;
  std::size_t line_start = text.find('\n');  // skip the header
  while (line_start != std::string::npos && line_start + 1 < text.size()) {
    const char* p = text.c_str() + line_start + 1;
    char* end = nullptr;
    std::strtoul(p, &end, 10);                 // "sl:"
    end = std::strchr(end, ':');               // local address:port
    if (end == nullptr) break;
    end = std::strchr(end + 1, ':');
    if (end == nullptr) break;
    unsigned long local_port = std::strtoul(end + 1, &end, 16);
    end = std::strchr(end, ':');               // remote address:port
    if (end == nullptr) break;
    unsigned long remote_port = std::strtoul(end + 1, &end, 16);
    unsigned long state = std::strtoul(end, &end, 16);
    benchmark::DoNotOptimize(local_port + remote_port + state);
    ++sockets;
    line_start = text.find('\n', line_start + 1);
  }
  return sockets;
}

void bench_sock_diag(benchmark::State& state, int connections) {
  enter_world(connections);
  World& w = worlds.at(connections);
  std::vector<SocketRecord> records;
  for (auto _ : state) {
    w.diag->dump(SockDiag::kAllStates, records);
    benchmark::DoNotOptimize(records.data());
  }
  state.counters["sockets"] = static_cast<double>(records.size());
}

// A mask that matches none of the sockets: what the kernel's walk alone costs.
void bench_sock_diag_no_match(benchmark::State& state, int connections) {
  enter_world(connections);
  World& w = worlds.at(connections);
  std::vector<SocketRecord> records;
  for (auto _ : state) {
    w.diag->dump(sockdrill::tcp_state_bit(sockdrill::TcpState::CLOSE_WAIT), records);
    benchmark::DoNotOptimize(records.data());
  }
  state.counters["sockets"] = static_cast<double>(records.size());
}

void bench_ss(benchmark::State& state, int connections) {
  enter_world(connections);
  std::string output;
  for (auto _ : state) benchmark::DoNotOptimize(run_ss(output).size());
  state.counters["sockets"] = static_cast<double>(count_lines(output));
}

void bench_proc(benchmark::State& state, int connections) {
  enter_world(connections);
  std::string text;
  std::size_t sockets = 0;
  for (auto _ : state) {
    sockets = read_proc_table("/proc/self/net/tcp", text) + read_proc_table("/proc/self/net/tcp6", text);
    benchmark::DoNotOptimize(sockets);
  }
  state.counters["sockets"] = static_cast<double>(sockets);
}

// Prints the usual table, keeps each run's time, and prints the ratios at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs)
      if (run.run_type == Run::RT_Iteration && !run.error_occurred)
        seconds_[run.benchmark_name()] = run.GetAdjustedRealTime() /
                                         benchmark::GetTimeUnitMultiplier(run.time_unit);
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nper dump, same namespace, all TCP sockets (2N+1), %s TCP established hash:\n",
                shared_ehash ? "the host's shared" : "a private");
    std::printf("%8s %14s %14s %14s %10s %10s\n", "N", "sock_diag us", "ss -tanH us",
                "/proc us", "ss/diag", "proc/diag");
    for (int n : kConnectionCounts) {
      const std::string suffix = "/" + std::to_string(n);
      auto find = [&](const std::string& name) {
        auto it = seconds_.find(name + suffix);
        return it == seconds_.end() ? 0.0 : it->second * 1e6;
      };
      const double diag = find("sock_diag_dump"), ss = find("ss_tanH"), proc = find("proc_net_tcp");
      if (diag <= 0) continue;
      std::printf("%8d %14.1f %14.1f %14.1f %9.1fx %9.1fx\n", n, diag, ss, proc, ss / diag, proc / diag);
    }
  }

 private:
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  // Our one flag, taken out before Google Benchmark sees the rest.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--shared_ehash") == 0)
      shared_ehash = true;
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  // One descriptor a connection (the client end), in one process.
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  const rlim_t needed = kConnectionCounts[0] + kConnectionCounts[1] + 256;
  if (files.rlim_cur < needed) {
    files.rlim_cur = std::min(needed, files.rlim_max);
    if (files.rlim_cur < needed || setrlimit(RLIMIT_NOFILE, &files) != 0)
      sys_fail("raising RLIMIT_NOFILE to " + std::to_string(needed) + " (hard limit " +
               std::to_string(files.rlim_max) + ")");
  }
  for (int n : kConnectionCounts) build_world(n);  // before any benchmark thread could exist

  for (int n : kConnectionCounts) {
    const std::string suffix = "/" + std::to_string(n);
    benchmark::RegisterBenchmark(("sock_diag_dump" + suffix).c_str(), bench_sock_diag, n)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("sock_diag_dump_close_wait_only" + suffix).c_str(),
                                 bench_sock_diag_no_match, n)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("ss_tanH" + suffix).c_str(), bench_ss, n)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("proc_net_tcp" + suffix).c_str(), bench_proc, n)
        ->Unit(benchmark::kMicrosecond);
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
