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
  bool eof_ = false;
  std::string partial_;
};

}  // namespace sockdrill
