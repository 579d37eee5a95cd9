// Benchmark: sockdrill's observer (SockDiag::dump, Sampler::take) against a bare sock_diag dump, ss and /proc.
//
// For each size (sockets in the namespace: 1,000, 10,000, 40,000 and 100,000 by default) the
// benchmark builds a network namespace of its own holding that many TCP sockets on loopback,
// measures every method reading that same namespace, then tears it down before the next size
// (so that `ss -tanp`, which reads every process's descriptors, never sees another size's).
//
//   reference_dump   a bare two-family dump written here: one inet_diag_req_v2 request for
//                    AF_INET and one for AF_INET6, every TCP state, the datagrams received and
//                    their records counted from the netlink headers, nothing else parsed
//   sockdiag_dump    SockDiag::dump of every state (one walk for both families, parsed records)
//   sockdiag_dump_close_wait_only   a state no socket is in: what the kernel's walk alone costs
//   sockdiag_dump_tcp_info   SockDiag::dump with tcp_info (set_byte_counts), as a sampler with a
//                            command peer asks: the dump part of the next two
//   sample_idle_command      Sampler::take as the runner calls it for a case with one command
//                            peer that holds nothing: the sockets belong to a server peer
//                            (claimed by its listening endpoints) and to client peers (claimed by
//                            their source addresses, 127.77.0.H); the command's tree is scanned
//   sample_command_holds     Sampler::take where the command's process tree holds every client
//                            socket: the scan reads each of those descriptors, twice a sample
//   ss_tan, ss_tanp  the whole command run in the namespace, its output read from a pipe
//   proc_net_tcp     /proc/net/tcp and /proc/net/tcp6 read in the namespace, each line's ports
//                    and state parsed
//
// The connections: the client ends are held by holder processes (at most 19,000 descriptors
// each, under a 20,000-descriptor limit), children of one process that stands for the command;
// the server ends stay in the accept queues of listeners held by this process (one listener per
// accept queue's worth, net.core.somaxconn raised in the namespace when it may be). Unless
// --shared_ehash, each namespace has a private TCP table of max(32,768, sockets) buckets: 32,768
// is the least the runner gives a case with a command peer (harness/run/tcp_table_size.hpp).
//
// It runs in a PID namespace with a /proc of its own, as a case's runner does, so that the
// command's process scan and `ss -tanp` read the processes of the world being measured only.
//
// The methods of one size run in random order, repetition by repetition, so that load drifting
// on a shared machine weighs on all of them alike. After Google Benchmark's table come each
// size's medians and their ratios to the reference, measured in this same run; --results=FILE
// also writes them as tab-separated rows for scripts/bench.sh.
//
// Flags (before Google Benchmark's own): --sizes=N,N,... --repetitions=R (default 7)
// --min_time=S (seconds per repetition, default 0.2) --results=FILE --shared_ehash.
// Runs as root, or unprivileged inside a user namespace of its own (then whatever it may not
// set, a private table or somaxconn, is said on stderr and in the results).
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "bench/flags.hpp"
#include "harness/observe/sampler.hpp"
#include "harness/observe/sock_diag.hpp"
#include "harness/observe/sock_diag_request.hpp"
#include "tests/observe/netns.hpp"

extern char** environ;

namespace {

using sockdrill::SockDiag;
using sockdrill::SocketRecord;
using Clock = std::chrono::steady_clock;

std::vector<int> sizes = {1'000, 10'000, 40'000, 100'000};
int repetitions = 7;
double min_time_s = 0.2;
std::string results_path;
bool shared_ehash = false;

constexpr int kSocketsPerHolder = 19'000;   // descriptors a holder opens, under the 20,000 limit
constexpr std::uint32_t kRunnerTableBuckets = 32'768;  // the runner's tcp_child_ehash_entries
constexpr auto kWorldBuildTimeout = std::chrono::seconds(120);
constexpr auto kWorldExitTimeout = std::chrono::seconds(10);

[[noreturn]] void sys_fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), "observe_bench: " + what);
}

// ---- the reference: a bare two-family dump ----

// The bits of TCP_ESTABLISHED (1) to TCP_NEW_SYN_RECV (12): every state a TCP connection or
// request is in, as SockDiag asks for them. Not ~0u: since Linux 6.8 bit 13 asks for sockets that
// are bound and not listening (TCP_BOUND_INACTIVE), an extra walk of the bind hash that no reader
// here wants (~0.4 ms more a walk here, whatever the namespace holds).
constexpr std::uint32_t kEveryTcpState = (1u << 13) - 1;

class BareDump {
 public:
  BareDump() : buffer_(64 * 1024) {  // SockDiag's receive buffer size, so both get equal chunks
    fd_ = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd_ < 0) sys_fail("socket(NETLINK_SOCK_DIAG)");
  }
  ~BareDump() { close(fd_); }
  BareDump(const BareDump&) = delete;
  BareDump& operator=(const BareDump&) = delete;

  // Records of both families; `bytes` gets what was received.
  std::size_t dump(std::uint64_t& bytes) {
    bytes = 0;
    return walk(AF_INET, bytes) + walk(AF_INET6, bytes);
  }

 private:
  std::size_t walk(std::uint8_t family, std::uint64_t& bytes) {
    const sockdrill::TcpDumpRequest request = sockdrill::tcp_dump_request(family, kEveryTcpState, ++seq_);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (sendto(fd_, &request, sizeof request, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) !=
        static_cast<ssize_t>(sizeof request))
      sys_fail("sending the bare dump request");
    std::size_t records = 0;
    for (int chunk = 0; chunk < 1'000'000; ++chunk) {  // bounded: a dump ends in NLMSG_DONE
      const ssize_t n = recv(fd_, buffer_.data(), buffer_.size(), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) sys_fail("recv during the bare dump");
      bytes += static_cast<std::uint64_t>(n);
      int left = static_cast<int>(n);
      for (auto* h = reinterpret_cast<nlmsghdr*>(buffer_.data()); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
        if (h->nlmsg_type == NLMSG_DONE) return records;
        if (h->nlmsg_type == NLMSG_ERROR) {
          const int err = -static_cast<const nlmsgerr*>(NLMSG_DATA(h))->error;
          if (family == AF_INET6 && err == ENOENT) return records;  // a kernel without IPv6
          errno = err;
          sys_fail("the bare dump's answer");
        }
        ++records;
      }
    }
    throw std::runtime_error("observe_bench: the bare dump did not end");
  }

  int fd_ = -1;
  std::uint32_t seq_ = 0;
  std::vector<char> buffer_;
};

// ---- a namespace full of connections ----

// What one size's namespace holds, kept for its benchmarks and torn down after them.
struct World {
  int target_sockets = 0;
  int connections = 0;
  int netns_fd = -1;
  std::vector<int> listeners;
  std::vector<std::uint16_t> ports;
  int holders = 0;
  pid_t command_root = -1;   // parent of every holder: the command whose tree holds the clients
  pid_t idle_command = -1;   // a command that holds nothing
  int stop_fd = -1;          // the write end every child waits on; closing it ends them
  std::vector<std::string> notes;  // what could not be set up as asked, and why
  std::unique_ptr<SockDiag> diag, diag_with_info;
  std::unique_ptr<BareDump> bare;
  std::unique_ptr<sockdrill::Sampler> sampler_idle, sampler_holds;
  std::vector<sockdrill::CommandProcess> idle_commands, holding_commands;
};
std::unique_ptr<World> world;
std::vector<std::string> all_notes;
std::map<int, std::string> table_of_size;  // "a private TCP table of N buckets" or the shared one

std::string holder_address(int holder) { return "127.77." + std::to_string(holder / 250) + "." + std::to_string(holder % 250 + 1); }

// Writes `value` to a sysctl file; false (errno set) when it cannot.
bool write_sysctl(const char* path, const std::string& value) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
  const int err = errno;
  close(fd);
  errno = err;
  return ok;
}

long read_sysctl(const char* path, long fallback) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fallback;
  char text[32] = {};
  const ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  return n > 0 ? std::strtol(text, nullptr, 10) : fallback;
}

// The holder's part, in a forked child: `count` connections from its own source address to the
// listeners' ports, from connection number `first` on. Only plain calls, no throwing: it reports
// one byte on `ready_fd` ('r', or 'e' after which errno's value follows) and waits for EOF on
// `stop_fd`.
[[noreturn]] void hold_connections(int holder, int first, int count, int per_listener,
                                   const std::vector<std::uint16_t>& ports, int ready_fd, int stop_fd) {
  auto fail = [&](int err) {
    char message[1 + sizeof err];
    message[0] = 'e';
    std::memcpy(message + 1, &err, sizeof err);
    (void)!write(ready_fd, message, sizeof message);
    _exit(1);
  };
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = std::min<rlim_t>(files.rlim_max, static_cast<rlim_t>(count) + 64);
  if (files.rlim_cur < static_cast<rlim_t>(count) + 16 || setrlimit(RLIMIT_NOFILE, &files) != 0) fail(EMFILE);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  inet_pton(AF_INET, holder_address(holder).c_str(), &source.sin_addr);
  const int one = 1;
  for (int i = 0; i < count; ++i) {
    const int number = first + i;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(ports[static_cast<std::size_t>(number / per_listener)]);
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    // The runner's client peers connect from an address of their own, without a port chosen first.
    if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) != 0 ||
        bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0 ||
        connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0)
      fail(errno);
  }
  (void)!write(ready_fd, "r", 1);
  char byte;
  while (read(stop_fd, &byte, 1) < 0 && errno == EINTR) {
  }
  _exit(0);
}

// fork() with PR_SET_PDEATHSIG(SIGKILL): the child dies with its parent whatever happens to it.
// In the child, the listeners are closed (a holder holding one would claim its accept queue).
pid_t fork_bound_child(const World& w) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) sys_fail("fork");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    for (int fd : w.listeners) close(fd);
  }
  return pid;
}

// Waits up to `timeout` for `pid`, then SIGKILLs and reaps it.
void reap(pid_t pid, Clock::duration timeout) {
  if (pid <= 0) return;
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (Clock::now() < deadline) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid, SIGKILL);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

void tear_down_world() {
  if (!world) return;
  World& w = *world;
  w.sampler_idle.reset();
  w.sampler_holds.reset();
  w.diag.reset();
  w.diag_with_info.reset();
  w.bare.reset();
  if (w.stop_fd >= 0) close(w.stop_fd);
  reap(w.command_root, kWorldExitTimeout);  // it waits for its holders first
  reap(w.idle_command, kWorldExitTimeout);
  for (int fd : w.listeners) close(fd);
  if (w.netns_fd >= 0) close(w.netns_fd);
  world.reset();
}

// Builds the namespace of `target_sockets` sockets and leaves this process in it.
void build_world(int target_sockets) {
  world = std::make_unique<World>();
  World& w = *world;
  w.target_sockets = target_sockets;
  const std::uint32_t buckets = std::max<std::uint32_t>(kRunnerTableBuckets, static_cast<std::uint32_t>(target_sockets));
  if (!shared_ehash) {
    sockdrill::testing::enter_fresh_netns();  // a namespace of our own to set the child table in
    try {
      sockdrill::set_child_tcp_ehash_entries(buckets);
    } catch (const std::exception& e) {
      w.notes.push_back(std::string("no private TCP table, the host's is shared: ") + e.what());
    }
  }
  sockdrill::testing::enter_fresh_netns();
  w.netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (w.netns_fd < 0) sys_fail("open /proc/self/ns/net");
  const long entries = sockdrill::tcp_ehash_entries();
  table_of_size[target_sockets] = entries > 0 ? "a private TCP table of " + std::to_string(entries) + " buckets"
                                              : "the host's TCP table (shared)";

  // A listener's accept queue holds at most somaxconn connections: raise it where allowed (a
  // namespace of an unprivileged user namespace hides it), else use more listeners.
  int per_listener = kSocketsPerHolder;
  if (!write_sysctl("/proc/sys/net/core/somaxconn", std::to_string(per_listener + 64))) {
    const int err = errno;
    per_listener = static_cast<int>(std::min<long>(kSocketsPerHolder, read_sysctl("/proc/sys/net/core/somaxconn", 4096) - 16));
    w.notes.push_back("net.core.somaxconn not raised (" + std::string(std::strerror(err)) + "): " +
                      std::to_string(per_listener) + " connections a listener");
  }
  // sockets = 2 * connections + listeners
  const int listeners = std::max(1, (target_sockets / 2 + per_listener - 1) / per_listener);
  w.connections = std::max(1, (target_sockets - listeners) / 2);
  for (int i = 0; i < listeners; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(fd, per_listener + 16) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      sys_fail("listener");
    w.listeners.push_back(fd);
    w.ports.push_back(ntohs(address.sin_port));
  }

  int ready[2], stop[2];
  if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(stop, O_CLOEXEC) != 0) sys_fail("pipe2");
  w.stop_fd = stop[1];
  w.holders = (w.connections + kSocketsPerHolder - 1) / kSocketsPerHolder;
  w.command_root = fork_bound_child(w);
  if (w.command_root == 0) {
    close(ready[0]);
    close(stop[1]);
    for (int h = 0; h < w.holders; ++h) {
      const int first = h * kSocketsPerHolder;
      const pid_t holder = fork_bound_child(w);
      if (holder == 0) hold_connections(h, first, std::min(kSocketsPerHolder, w.connections - first),
                                        per_listener, w.ports, ready[1], stop[0]);
    }
    close(ready[1]);
    int status;
    while (wait(&status) > 0 || errno == EINTR) {  // bounded: until no child is left
    }
    _exit(0);
  }
  w.idle_command = fork_bound_child(w);
  if (w.idle_command == 0) {
    close(ready[0]);
    close(ready[1]);
    close(stop[1]);
    char byte;
    while (read(stop[0], &byte, 1) < 0 && errno == EINTR) {
    }
    _exit(0);
  }
  close(ready[1]);
  close(stop[0]);
  // One byte per holder; an error ends the build.
  const auto deadline = Clock::now() + kWorldBuildTimeout;
  int ready_holders = 0;
  while (ready_holders < w.holders) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{ready[0], POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) {
      close(ready[0]);
      throw std::runtime_error("observe_bench: the holders did not connect within 120 s");
    }
    char message[1 + sizeof(int)];
    const ssize_t n = read(ready[0], message, 1);
    if (n == 1 && message[0] == 'r') {
      ++ready_holders;
      continue;
    }
    int err = EIO;
    if (n == 1 && read(ready[0], message + 1, sizeof err) == static_cast<ssize_t>(sizeof err))
      std::memcpy(&err, message + 1, sizeof err);
    close(ready[0]);
    errno = err;
    sys_fail("a holder could not make its connections");
  }
  close(ready[0]);

  w.diag = std::make_unique<SockDiag>();
  w.diag_with_info = std::make_unique<SockDiag>();
  w.diag_with_info->set_byte_counts(true);
  w.bare = std::make_unique<BareDump>();
  // Peers as the runner numbers them: 0 the command, 1 the server, then one client per holder.
  std::vector<bool> idle_kinds(2 + static_cast<std::size_t>(w.holders), false);
  idle_kinds[0] = true;
  w.sampler_idle = std::make_unique<sockdrill::Sampler>(idle_kinds);
  w.sampler_holds = std::make_unique<sockdrill::Sampler>(std::vector<bool>{true, false});
  for (std::uint16_t port : w.ports) {
    w.sampler_idle->attribution().claim(1, "127.0.0.1", port);
    w.sampler_holds->attribution().claim(1, "127.0.0.1", port);
  }
  for (int h = 0; h < w.holders; ++h) w.sampler_idle->attribution().claim_address(2 + h, holder_address(h));
  w.idle_commands = {{0, w.idle_command, false}};
  w.holding_commands = {{0, w.command_root, false}};
  for (const std::string& note : w.notes) {
    std::fprintf(stderr, "observe_bench: %d sockets: %s\n", target_sockets, note.c_str());
    if (std::find(all_notes.begin(), all_notes.end(), note) == all_notes.end()) all_notes.push_back(note);
  }
}

// The benchmark goes on in a PID namespace with a /proc of its own, as a case's runner does: the
// command's process scan and `ss -tanp` read the processes of the namespace being measured, not
// whatever else runs on the machine. Returns in the child (PID 1 there); the parent waits for it
// and exits with its status. False, and nothing changed, when the namespaces are refused.
bool enter_own_pid_namespace(std::string& why) {
  sockdrill::testing::enter_fresh_netns();  // not root: makes the user namespace that allows the rest
  if (unshare(CLONE_NEWNS | CLONE_NEWPID) != 0) {
    why = std::string("unshare(CLONE_NEWNS | CLONE_NEWPID): ") + std::strerror(errno);
    return false;
  }
  std::fflush(stdout);
  const pid_t child = fork();
  if (child < 0) sys_fail("fork into the PID namespace");
  if (child > 0) {
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    std::exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
      mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    sys_fail("mounting a /proc of the PID namespace");
  return true;
}

// ---- the methods ----

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Runs `argv` (found on PATH) with its stdout on a pipe, and returns that output.
const std::string& run_command(const std::vector<const char*>& args, std::string& output) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) sys_fail("pipe2");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  std::vector<char*> argv;
  for (const char* a : args) argv.push_back(const_cast<char*>(a));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int err = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (err != 0) {
    close(pipe_fds[0]);
    errno = err;
    sys_fail(std::string("posix_spawnp ") + argv[0]);
  }
  output.clear();
  char chunk[65536];
  for (;;) {  // bounded by the command's output: it ends with the command
    const ssize_t n = read(pipe_fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(chunk, static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(std::string("observe_bench: ") + argv[0] + " failed, expected exit status 0");
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

void bench_reference(benchmark::State& state) {
  std::size_t records = 0;
  std::uint64_t bytes = 0;
  for (auto _ : state) benchmark::DoNotOptimize(records = world->bare->dump(bytes));
  state.counters["sockets"] = static_cast<double>(records);
  state.counters["bytes"] = static_cast<double>(bytes);
}

void bench_sock_diag(benchmark::State& state, std::uint32_t mask, bool with_info) {
  SockDiag& diag = with_info ? *world->diag_with_info : *world->diag;
  std::vector<SocketRecord> records;
  for (auto _ : state) {
    diag.dump(mask, records);
    benchmark::DoNotOptimize(records.data());
  }
  state.counters["sockets"] = static_cast<double>(records.size());
}

void bench_sample(benchmark::State& state, bool command_holds) {
  World& w = *world;
  sockdrill::Sampler& sampler = command_holds ? *w.sampler_holds : *w.sampler_idle;
  const auto& commands = command_holds ? w.holding_commands : w.idle_commands;
  sockdrill::Sample sample;
  for (auto _ : state) {
    sample = sampler.take(commands, nullptr);
    benchmark::DoNotOptimize(sample.per_peer.data());
  }
  // Every socket must have found its peer: the clients the command (holding variant) or the
  // client peers, the accept queues the server.
  std::int64_t unattributed = 0, of_command = 0;
  for (std::int64_t n : sample.unattributed) unattributed += n;
  for (std::int64_t n : sample.per_peer.at(0)) of_command += n;
  state.counters["sockets"] = static_cast<double>(sampler.last_records().size());
  state.counters["unattributed"] = static_cast<double>(unattributed);
  state.counters["command's"] = static_cast<double>(of_command);  // the connections, or none
}

void bench_ss(benchmark::State& state, const char* options) {
  std::string output;
  for (auto _ : state) benchmark::DoNotOptimize(run_command({"ss", options}, output).size());
  state.counters["sockets"] = static_cast<double>(count_lines(output) - 1);  // less the header
}

void bench_proc(benchmark::State& state) {
  std::string text;
  std::size_t sockets = 0;
  for (auto _ : state) {
    sockets = read_proc_table("/proc/self/net/tcp", text) + read_proc_table("/proc/self/net/tcp6", text);
    benchmark::DoNotOptimize(sockets);
  }
  state.counters["sockets"] = static_cast<double>(sockets);
}

struct Method {
  const char* name;     // the benchmark's name, before "/SIZE"
  const char* label;    // in the summary
};
const Method kMethods[] = {
    {"reference_dump", "bare two-family dump (reference)"},
    {"sockdiag_dump", "SockDiag::dump"},
    {"sockdiag_dump_close_wait_only", "SockDiag::dump, no socket matches"},
    {"sockdiag_dump_tcp_info", "SockDiag::dump with tcp_info"},
    {"sample_idle_command", "Sampler::take, idle command"},
    {"sample_command_holds", "Sampler::take, command holds clients"},
    {"ss_tan", "ss -tan"},
    {"ss_tanp", "ss -tanp"},
    {"proc_net_tcp", "/proc/net/tcp{,6} parsed"},
};

void register_methods(int size) {
  const std::string suffix = "/" + std::to_string(size);
  std::vector<benchmark::internal::Benchmark*> all = {
      benchmark::RegisterBenchmark(("reference_dump" + suffix).c_str(), bench_reference),
      benchmark::RegisterBenchmark(("sockdiag_dump" + suffix).c_str(), bench_sock_diag, SockDiag::kAllStates,
                                   false),
      benchmark::RegisterBenchmark(("sockdiag_dump_close_wait_only" + suffix).c_str(), bench_sock_diag,
                                   sockdrill::tcp_state_bit(sockdrill::TcpState::CLOSE_WAIT), false),
      benchmark::RegisterBenchmark(("sockdiag_dump_tcp_info" + suffix).c_str(), bench_sock_diag,
                                   SockDiag::kAllStates, true),
      benchmark::RegisterBenchmark(("sample_idle_command" + suffix).c_str(), bench_sample, false),
      benchmark::RegisterBenchmark(("sample_command_holds" + suffix).c_str(), bench_sample, true),
      benchmark::RegisterBenchmark(("ss_tan" + suffix).c_str(), bench_ss, "-tan"),
      benchmark::RegisterBenchmark(("ss_tanp" + suffix).c_str(), bench_ss, "-tanp"),
      benchmark::RegisterBenchmark(("proc_net_tcp" + suffix).c_str(), bench_proc)};
  for (benchmark::internal::Benchmark* b : all)
    b->Unit(benchmark::kMillisecond)->MinTime(min_time_s)->Repetitions(repetitions)->ReportAggregatesOnly(true);
}

// Prints the usual table, keeps each run's median, and prints the ratios at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (!median && !(repetitions == 1 && run.run_type == Run::RT_Iteration)) continue;
      const std::string name = run.run_name.function_name;
      seconds_[name] = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
      auto sockets = run.counters.find("sockets");
      if (sockets != run.counters.end()) sockets_[name] = sockets->second.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // The summary of the sizes measured so far, and the rows for --results.
  void summarize() {
    std::printf("\nmedians per read of the namespace, %d repetitions in random order; x = median / reference's, "
                "same size, same run\n",
                repetitions);
    std::FILE* results = results_path.empty() ? nullptr : std::fopen(results_path.c_str(), "a");
    if (!results_path.empty() && results == nullptr)
      std::fprintf(stderr, "observe_bench: cannot write %s: %s\n", results_path.c_str(), std::strerror(errno));
    for (int size : sizes) {
      const std::string suffix = "/" + std::to_string(size);
      auto reference = seconds_.find("reference_dump" + suffix);
      if (reference == seconds_.end()) continue;
      std::printf("%d sockets (%.0f in the dump), %s:\n", size, sockets_["reference_dump" + suffix],
                  table_of_size[size].c_str());
      for (const Method& m : kMethods) {
        auto it = seconds_.find(m.name + suffix);
        if (it == seconds_.end()) continue;
        const double ratio = it->second / reference->second;
        std::printf("  %-40s %10.3f ms %8.2fx\n", m.label, it->second * 1e3, ratio);
        if (results)
          std::fprintf(results, "observe.%d.%s\tobserver %s: %s\t%.6f\tms\t%.3f\tbare dump, same size\n", size,
                       m.name, compact(size).c_str(), m.label, it->second * 1e3, ratio);
      }
    }
    if (results) {
      for (const std::string& note : all_notes) std::fprintf(results, "note\t%s\n", note.c_str());
      std::fclose(results);
    }
    std::fflush(stdout);
  }

 private:
  static std::string compact(int size) { return size % 1000 == 0 ? std::to_string(size / 1000) + "k" : std::to_string(size); }
  std::map<std::string, double> seconds_, sockets_;
};

// Parses "1000,10000" into sizes; false when it is not a list of counts from 100 to 200,000.
bool parse_sizes(const std::string& text) {
  std::vector<int> parsed;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    char* end = nullptr;
    const long n = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || n < 100 || n > 200'000) return false;
    parsed.push_back(static_cast<int>(n));
    start = comma + 1;
  }
  sizes = parsed;
  return !sizes.empty();
}

}  // namespace

int main(int argc, char** argv) {
  using sockdrill::bench::take_flag;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string value;
    if (std::strcmp(argv[i], "--shared_ehash") == 0) {
      shared_ehash = true;
    } else if (take_flag(argv[i], "--sizes", value)) {
      if (!parse_sizes(value)) {
        std::fprintf(stderr, "observe_bench: --sizes expects counts from 100 to 200000, got \"%s\"\n", value.c_str());
        return 2;
      }
    } else if (take_flag(argv[i], "--repetitions", value)) {
      repetitions = std::atoi(value.c_str());
      if (repetitions < 1 || repetitions > 100) {
        std::fprintf(stderr, "observe_bench: --repetitions expects 1..100\n");
        return 2;
      }
    } else if (take_flag(argv[i], "--min_time", value)) {
      min_time_s = std::atof(value.c_str());
      if (!(min_time_s > 0 && min_time_s <= 10)) {
        std::fprintf(stderr, "observe_bench: --min_time expects seconds in (0, 10]\n");
        return 2;
      }
    } else if (take_flag(argv[i], "--results", value)) {
      results_path = value;
    } else {
      argv[kept++] = argv[i];
    }
  }
  if (!sockdrill::bench::initialize_interleaved(kept, argv)) return 1;

  RatioReporter reporter;
  try {
    std::string why;
    if (!enter_own_pid_namespace(why)) {
      all_notes.push_back("no PID namespace of its own (" + why +
                          "): the process scan and ss -tanp read every process of the machine");
      std::fprintf(stderr, "observe_bench: %s\n", all_notes.back().c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  // One size at a time: its namespace is built (before any thread exists), measured, removed. A
  // size that cannot be built (memory, limits) is said and left out; the others still count.
  int measured = 0;
  for (int size : sizes) {
    try {
      build_world(size);
      benchmark::ClearRegisteredBenchmarks();
      register_methods(size);
      benchmark::RunSpecifiedBenchmarks(&reporter);
      ++measured;
    } catch (const std::exception& e) {
      all_notes.push_back(std::to_string(size) + " sockets left out: " + e.what());
      std::fprintf(stderr, "observe_bench: %s\n", all_notes.back().c_str());
    }
    tear_down_world();
  }
  reporter.summarize();
  if (measured == 0) return 1;
  benchmark::Shutdown();
  return 0;
}
