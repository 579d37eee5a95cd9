// What the end-to-end tests of the sockdrill command share: running it, temp folders, processes.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/json.hpp"

namespace sockdrill::cli_test {

namespace fs = std::filesystem;


inline const std::string kSockdrill = SOCKDRILL_BIN;
inline const std::string kPeer = SOCKDRILL_PEER_BIN;
inline const fs::path kHere = SOCKDRILL_TEST_DIR;

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr together
};

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline Outcome run_sockdrill(const std::vector<std::string>& args) {
  std::string cmd = "SOCKDRILL_PEER=" + shell_quote(kPeer) + " " + shell_quote(kSockdrill);
  for (auto& a : args) cmd += " " + shell_quote(a);
  cmd += " 2>&1";
  Outcome o;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.output.append(buf, n);
  int st = ::pclose(p);
  o.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return o;
}

inline fs::path temp_dir(const std::string& tag) {
  fs::path dir = fs::temp_directory_path() /
                 ("sockdrill-test-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline Json read_json(const fs::path& file) {
  std::ifstream in(file);
  return Json::parse(in);
}

// Processes whose command line contains `needle` (the case name is on every peer's command line).
inline std::vector<pid_t> processes_matching(const std::string& needle) {
  std::vector<pid_t> out;
  for (auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (char& c : cmdline)
      if (c == '\0') c = ' ';
    if (cmdline.find(needle) != std::string::npos && std::stoi(name) != ::getpid())
      out.push_back(std::stoi(name));
  }
  return out;
}

// The processes whose parent is `parent`.
inline std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(std::stoi(name));
  }
  return out;
}

inline bool wait_for(const std::function<bool()>& cond, int ms) {
  for (int i = 0; i < ms / 10; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

inline pid_t spawn_sockdrill(const std::vector<std::string>& args, const fs::path& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    FILE* f = std::fopen(log.c_str(), "w");
    ::dup2(fileno(f), 1);
    ::dup2(fileno(f), 2);
    ::setenv("SOCKDRILL_PEER", kPeer.c_str(), 1);
    std::vector<char*> argv{const_cast<char*>(kSockdrill.c_str())};
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(kSockdrill.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

inline int wait_status(pid_t pid) {
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

inline std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace sockdrill::cli_test
