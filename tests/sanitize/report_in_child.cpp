// Test helper of the sanitizer build: a child process makes one sanitizer report (or none) and
// the parent exits 0 whatever happened to it, as the harness does with its peers.
// usage: sanitizer_report_in_child none|asan|ubsan|leak
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

volatile int sink;

int child(const std::string& kind) {
  if (kind == "asan") {
    // A use after free: UBSan's object-size check, active from -O1 on, cannot see it first.
    char* bytes = static_cast<char*>(std::malloc(8));
    std::free(bytes);
    sink = bytes[sink];
  } else if (kind == "ubsan") {
    volatile int big = INT_MAX;
    sink = big + 1;  // signed overflow
  } else if (kind == "leak") {
    void* kept = std::malloc(64);
    std::memset(kept, 1, 64);
    kept = nullptr;  // lost: the leak check at exit reports it
    sink = kept == nullptr;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s none|asan|ubsan|leak\n", argv[0]);
    return 2;
  }
  const pid_t pid = ::fork();
  if (pid == 0) std::exit(child(argv[1]));
  int status = 0;
  ::waitpid(pid, &status, 0);
  return 0;
}
