// Maps a full id range into the runner's new user namespace from outside it (newuidmap needs that).
#include "harness/run/id_mapper.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "harness/run/pipe_text.hpp"

namespace sockdrill {

IdMapper::IdMapper(const IdMapPlan& plan, uid_t uid, gid_t gid) {
  int go[2], answer[2];
  if (::pipe2(go, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe for the id mapper: ") + std::strerror(errno));
  if (::pipe2(answer, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(go[0]);
    ::close(go[1]);
    throw std::runtime_error(std::string("pipe for the id mapper: ") + std::strerror(err));
  }
  const pid_t runner = ::getpid();
  helper_ = ::fork();
  if (helper_ < 0) {
    const int err = errno;
    for (int fd : {go[0], go[1], answer[0], answer[1]}) ::close(fd);
    throw std::runtime_error(std::string("fork for the id mapper: ") + std::strerror(err));
  }
  if (helper_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != runner) ::_exit(1);
    ::close(go[1]);
    ::close(answer[0]);
    char byte = 0;
    ssize_t n;
    while ((n = ::read(go[0], &byte, 1)) < 0 && errno == EINTR) {
    }
    if (n == 1) write_whole(answer[1], map_ids_for(runner, uid, gid, plan));
    ::_exit(0);
  }
  ::close(go[0]);
  ::close(answer[1]);
  go_ = go[1];
  answer_ = answer[0];
}

IdMapper::~IdMapper() { finish(); }

std::string IdMapper::map() {
  if (go_ < 0) return "the id mapper was already used";
  const char byte = 1;
  ssize_t n;
  while ((n = ::write(go_, &byte, 1)) < 0 && errno == EINTR) {
  }
  ::close(go_);
  go_ = -1;
  if (n != 1) {
    finish();
    return std::string("cannot reach the id mapper: ") + std::strerror(errno);
  }
  std::string why = read_until_eof(answer_);
  int status = 0;
  while (::waitpid(helper_, &status, 0) < 0 && errno == EINTR) {
  }
  helper_ = -1;
  finish();
  if (why.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
    why = "the id mapper ended without an answer";
  return why;
}

void IdMapper::finish() {
  if (go_ >= 0) ::close(go_);
  if (answer_ >= 0) ::close(answer_);
  go_ = answer_ = -1;
  if (helper_ > 0) {
    while (::waitpid(helper_, nullptr, 0) < 0 && errno == EINTR) {
    }
    helper_ = -1;
  }
}

}  // namespace sockdrill
