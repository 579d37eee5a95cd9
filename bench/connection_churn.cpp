// A test command for guard_bench: opens and closes N TCP connections on loopback, one at a
// time, client and server in this one process (the server closes first; nothing leaks).
// usage: sockdrill_connection_churn [N]   (default 10000; exit 1 on any socket error)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace {

int fail(const char* what) {
  std::perror(what);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 10000;
  if (n < 1 || n > 1000000) {
    std::fprintf(stderr, "usage: %s [N: 1..1000000]\n", argv[0]);
    return 2;
  }
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 128) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    return fail("listener");
  char byte = 0;
  for (long i = 0; i < n; ++i) {
    const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (client < 0 || ::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      return fail("connect");
    const int server = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (server < 0) return fail("accept");
    // The server closes first; the client reads its FIN (a moment of CLOSE_WAIT), then closes.
    ::close(server);
    if (::read(client, &byte, 1) != 0) return fail("read");
    ::close(client);
  }
  ::close(listener);
  return 0;
}
