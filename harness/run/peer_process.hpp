// One child process of a case (a sockdrill-peer), with its line pipes in and out.
#pragma once
#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

namespace sockdrill {

class PeerProcess {
 public:
  PeerProcess() = default;
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  // Starts `program args...` with stdin and stdout as pipes to us and stderr inherited. The
  // child gets SIGKILL when its parent dies. Throws std::runtime_error when it cannot start.
  void start(boost::asio::io_context& ctx, const std::string& program,
             const std::vector<std::string>& args);

  // Starts an external program (a `command` peer): argv[0] is looked up in PATH when it has no
  // '/', `env` ("KEY=VALUE" entries) is its whole environment, stdin is /dev/null and stdout and
  // stderr are pipes to us whose last kOutputCap bytes are kept (drain_output()). The child gets
  // SIGKILL when its parent dies. Throws std::runtime_error when it cannot start.
  void start_command(boost::asio::io_context& ctx, const std::vector<std::string>& argv,
                     const std::vector<std::string>& env);
  static constexpr std::size_t kOutputCap = 64 * 1024;
  // A command's output: reads what is there without blocking into the capped tails.
  void drain_output();
  int stderr_fd() const { return err_fd_; }
  bool err_eof() const { return err_eof_; }
  bool is_command() const { return command_; }
  const std::string& stdout_tail() const { return out_tail_; }
  const std::string& stderr_tail() const { return err_tail_; }
  // Whether bytes were dropped from the front of a tail (the program wrote more than the cap).
  bool stdout_truncated() const { return out_truncated_; }
  bool stderr_truncated() const { return err_truncated_; }

  // Writes one line (a '\n' is added). Returns false when the peer's stdin is gone.
  bool send_line(const std::string& line);
  // Reads whatever the peer has written so far without blocking and returns complete lines.
  // Sets eof() once the peer closed its stdout.
  std::vector<std::string> drain_lines();
  void close_stdin();

  pid_t pid() const { return pid_; }
  int stdout_fd() const { return out_fd_; }
  bool eof() const { return eof_; }

 private:
  pid_t pid_ = -1;
  int in_fd_ = -1;   // our end of the child's stdin
  int out_fd_ = -1;  // our end of the child's stdout
  int err_fd_ = -1;  // a command's stderr
  bool eof_ = false;
  bool err_eof_ = false;
  bool command_ = false;
  std::string partial_;
  std::string out_tail_, err_tail_;
  bool out_truncated_ = false, err_truncated_ = false;
};

}  // namespace sockdrill
