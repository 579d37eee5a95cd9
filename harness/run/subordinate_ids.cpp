// A user's subordinate id ranges (/etc/subuid, /etc/subgid) and newuidmap/newgidmap, which map them.
#include "harness/run/subordinate_ids.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "harness/run/pipe_text.hpp"

namespace sockdrill {
namespace {

// Inside ids are 32 bits and (uid_t)-1 is never an id: 1 + count must stay below it.
constexpr std::uint64_t kMostInsideIds = 0xFFFFFFFEull - 1;

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

// The program's full path from PATH (then the usual system folders), or "".
std::string find_program(const std::string& name) {
  std::string dirs = std::getenv("PATH") ? std::getenv("PATH") : "";
  dirs += ":/usr/bin:/bin:/usr/sbin:/sbin";
  std::stringstream in(dirs);
  for (std::string dir; std::getline(in, dir, ':');) {
    if (dir.empty()) continue;
    const std::string path = dir + "/" + name;
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

// Runs argv to its end; "" when it exits 0, else its status and what it wrote on stderr.
std::string run_tool(const std::vector<std::string>& argv) {
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    return std::string("fork: ") + std::strerror(errno);
  }
  if (pid == 0) {
    ::dup2(err_pipe[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) ::dup2(null, STDOUT_FILENO);
    ::execv(args[0], args.data());
    const std::string why = argv[0] + ": cannot run it: " + std::strerror(errno);
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, why.data(), why.size());
    ::_exit(127);
  }
  ::close(err_pipe[1]);
  std::string said = read_until_eof(err_pipe[0], 2000);
  ::close(err_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
  std::string command;
  for (const auto& a : argv) command += (command.empty() ? "" : " ") + a;
  return command + (WIFEXITED(status) ? " exited " + std::to_string(WEXITSTATUS(status))
                                      : " was killed by signal " + std::to_string(WTERMSIG(status))) +
         (said.empty() ? "" : ": " + said);
}

std::string range_text(const IdRange& r, const char* what) {
  return std::to_string(r.count) + " " + what + " from " + std::to_string(r.start);
}

}  // namespace

std::optional<IdRange> find_subordinate_range(const std::string& path, const std::string& name,
                                              std::uint64_t id) {
  std::ifstream in(path);
  std::optional<IdRange> best;
  const std::string id_text = std::to_string(id);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string owner = line.substr(0, first);
    if (owner != name && owner != id_text) continue;
    const auto start = number(std::string_view(line).substr(first + 1, second - first - 1));
    const auto count = number(std::string_view(line).substr(second + 1));
    if (!start || !count || *count == 0) continue;
    if (!best || *count > best->count) best = IdRange{*start, *count};
  }
  if (best && best->count > kMostInsideIds) best->count = kMostInsideIds;
  return best;
}

std::string IdMapPlan::summary() const {
  return range_text(uids, "uids") + ", " + range_text(gids, "gids");
}

IdMapChoice plan_id_maps(uid_t uid, gid_t gid, const SubidFiles& files) {
  IdMapChoice choice;
  const passwd* pw = ::getpwuid(uid);
  if (pw == nullptr) {
    choice.why_not = "uid " + std::to_string(uid) + " has no passwd entry, which newuidmap needs";
    return choice;
  }
  IdMapPlan plan;
  plan.user = pw->pw_name;
  if (pw->pw_gid != gid) {
    // newgidmap maps the caller's group only when it is the passwd entry's.
    choice.why_not = "the group in use (" + std::to_string(gid) + ") is not " + plan.user +
                     "'s primary group (" + std::to_string(pw->pw_gid) + "), which newgidmap requires";
    return choice;
  }
  const auto uids = find_subordinate_range(files.subuid, plan.user, uid);
  const auto gids = find_subordinate_range(files.subgid, plan.user, uid);
  if (!uids || !gids) {
    choice.why_not = "no subordinate " + std::string(!uids ? "uids" : "gids") + " for " + plan.user +
                     " in " + (!uids ? files.subuid : files.subgid);
    return choice;
  }
  plan.uids = *uids;
  plan.gids = *gids;
  plan.newuidmap = find_program("newuidmap");
  plan.newgidmap = find_program("newgidmap");
  if (plan.newuidmap.empty() || plan.newgidmap.empty()) {
    choice.why_not = std::string(plan.newuidmap.empty() ? "newuidmap" : "newgidmap") +
                     " is not installed (Debian package uidmap)";
    return choice;
  }
  choice.plan = plan;
  return choice;
}

std::string map_ids_for(pid_t pid, uid_t uid, gid_t gid, const IdMapPlan& plan) {
  const std::string target = std::to_string(pid);
  std::string why = run_tool({plan.newuidmap, target, "0", std::to_string(uid), "1", "1",
                              std::to_string(plan.uids.start), std::to_string(plan.uids.count)});
  if (!why.empty()) return why;
  return run_tool({plan.newgidmap, target, "0", std::to_string(gid), "1", "1",
                   std::to_string(plan.gids.start), std::to_string(plan.gids.count)});
}

}  // namespace sockdrill
