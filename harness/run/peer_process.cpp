// Starts case processes with Boost.Process v2 and moves JSON lines over their pipes.
#include "harness/run/peer_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <boost/process/v2.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace bp = boost::process::v2;

namespace sockdrill {
namespace {

// Runs in the child between fork and exec: a case process must never outlive its runner.
struct DieWithParent {
  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::signal(SIGPIPE, SIG_DFL);
    return {};
  }
};

// The child's whole environment (bp::process_environment needs the compiled Boost.Process part).
struct Environment {
  std::vector<const char*> entries;  // "KEY=VALUE" pointers, null-terminated
  template <typename Launcher>
  bp::error_code on_setup(Launcher& launcher, const bp::filesystem::path&, const char* const*) {
    launcher.env = entries.data();
    return {};
  }
};

// Appends everything readable now on a non-blocking fd to `into`, keeping its last `cap` bytes
// (`truncated` when some were dropped); `eof` once the writer closed its end.
void read_available(int fd, std::string& into, bool& eof, std::size_t cap, bool& truncated) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
      if (into.size() > cap) {
        into.erase(0, into.size() - cap);
        truncated = true;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) eof = true;
    break;
  }
}

// Starts a detached child (the runner reaps every child itself: it is PID 1 of the case); on
// failure closes `pipe_fds` and throws naming `what`.
template <typename... Initializers>
pid_t launch(boost::asio::io_context& ctx, const std::string& program,
             const std::vector<std::string>& args, bp::process_stdio stdio,
             std::initializer_list<int> pipe_fds, const std::string& what, Initializers&&... inits) {
  try {
    bp::process proc(ctx, program, args, std::move(stdio), std::forward<Initializers>(inits)...,
                     DieWithParent{});
    pid_t pid = proc.id();
    proc.detach();
    return pid;
  } catch (const std::exception& e) {
    for (int fd : pipe_fds) ::close(fd);
    throw std::runtime_error("cannot start " + what + ": " + e.what());
  }
}

}  // namespace

PeerProcess::~PeerProcess() {
  if (in_fd_ >= 0) ::close(in_fd_);
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void PeerProcess::start_command(boost::asio::io_context& ctx, const std::vector<std::string>& argv,
                                const std::vector<std::string>& env) {
  if (argv.empty()) throw std::runtime_error("empty argv");
  std::string program = argv[0];
  if (program.find('/') == std::string::npos) {  // looked up in the runner's PATH, like execvp
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    program.clear();
    for (std::size_t start = 0; start <= dirs.size();) {
      std::size_t colon = dirs.find(':', start);
      if (colon == std::string::npos) colon = dirs.size();
      std::string dir = dirs.substr(start, colon - start);
      std::string candidate = (dir.empty() ? "." : dir) + "/" + argv[0];
      if (::access(candidate.c_str(), X_OK) == 0) {
        program = candidate;
        break;
      }
      start = colon + 1;
    }
    if (program.empty()) throw std::runtime_error("cannot start " + argv[0] + ": not found in PATH");
  }
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  Environment environment;
  for (auto& e : env) environment.entries.push_back(e.c_str());
  environment.entries.push_back(nullptr);
  // stdin: nullptr opens /dev/null.
  pid_ = launch(ctx, program, args, bp::process_stdio{nullptr, out_pipe[1], err_pipe[1]},
                {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}, argv[0], environment);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  command_ = true;
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  for (int fd : {out_fd_, err_fd_}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void PeerProcess::drain_output() {
  if (out_fd_ >= 0 && !eof_) read_available(out_fd_, out_tail_, eof_, kOutputCap, out_truncated_);
  if (err_fd_ >= 0 && !err_eof_) read_available(err_fd_, err_tail_, err_eof_, kOutputCap, err_truncated_);
}

void PeerProcess::start(boost::asio::io_context& ctx, const std::string& program,
                        const std::vector<std::string>& args) {
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  pid_ = launch(ctx, program, args, bp::process_stdio{in_pipe[0], out_pipe[1], {}},
                {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}, program);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  in_fd_ = in_pipe[1];
  out_fd_ = out_pipe[0];
  ::fcntl(out_fd_, F_SETFL, ::fcntl(out_fd_, F_GETFL) | O_NONBLOCK);
}

bool PeerProcess::send_line(const std::string& line) {
  if (in_fd_ < 0) return false;
  std::string data = line + "\n";
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(in_fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::vector<std::string> PeerProcess::drain_lines() {
  std::vector<std::string> lines;
  if (command_) {  // a program's output is kept, not parsed
    drain_output();
    return lines;
  }
  if (out_fd_ < 0) return lines;
  bool never = false;  // protocol lines are never dropped: no cap
  read_available(out_fd_, partial_, eof_, std::string::npos, never);
  std::size_t start = 0;
  for (std::size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.emplace_back(partial_, start, nl - start);
  partial_.erase(0, start);
  return lines;
}

void PeerProcess::close_stdin() {
  if (in_fd_ >= 0) ::close(in_fd_);
  in_fd_ = -1;
}

}  // namespace sockdrill
