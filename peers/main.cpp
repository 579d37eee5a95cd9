// sockdrill-peer: serves one listen, connect or proxy peer of a case, driven over stdin/stdout.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/json.hpp"
#include "peers/output.hpp"
#include "peers/peer.hpp"
#include "protocol/peer_config.hpp"
#include "peers/proxy.hpp"
#include "peers/shards.hpp"
#include "protocol/runner_messages.hpp"

namespace asio = boost::asio;
using namespace sockdrill;

namespace {

// Thousands of connections in one process: take every descriptor the hard limit allows.
void raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// " /pointer: message;" for each diagnostic, for a fatal line.
std::string listed(const Diagnostics& diag) {
  std::string out;
  for (auto& d : diag.items())
    out += " " + (d.pointer.empty() ? "/" : d.pointer) + ": " + d.message + ";";
  return out;
}

// Handles the runner's lines on the event loop thread.
class Control {
 public:
  Control(asio::io_context& io, peer::LineWriter& out) : io_(io), out_(out) {}

  void line(const std::string& text) {
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) out_.fatal("expected one JSON object per line on stdin, got: " + text);
    if (!peer_ && !proxy_) return configure(j);
    std::string problem;
    auto message = protocol::read_runner_line(j, problem);
    if (!message) out_.fatal("unusable line from the runner: " + problem);
    std::visit([this](const auto& m) { handle(m); }, *message);
  }

 private:
  void handle(const protocol::Start& m) {
    shards_.forward(protocol::to_line(m));
    if (peer_) peer_->start(m.t0_ns);
  }
  void handle(const protocol::Cue& m) {
    shards_.forward(protocol::to_line(m));
    if (peer_) peer_->cue(m.name);
  }
  void handle(const protocol::Sync& m) { shards_.sync(m.id); }
  void handle(const protocol::ToxicLine& m) {
    if (!proxy_) out_.fatal("a toxic change for a peer that is not a proxy");
    shards_.forward(protocol::to_line(m));  // a proxy's other listening processes
    if (m.add) proxy_->add_toxic(*m.add);
    else proxy_->remove_toxic(m.remove);
  }

  void configure(const Json& j) {
    Diagnostics diag;
    auto config = protocol::peer_config_from_json(j, diag);
    if (!config) out_.fatal("unusable config line:" + listed(diag));
    if (config->role == protocol::PeerConfig::Role::proxy) return configure_proxy(std::move(*config));
    if (config->role == protocol::PeerConfig::Role::server && config->listeners > 1)
      return configure_listeners(std::move(*config));
    // A client past one process's connections starts its other processes first; it is ready
    // when they all are.
    shards_.start(*config);
    peer_ = std::make_unique<peer::Peer>(io_, out_, std::move(*config));
    shards_.when_ready([this] { peer_->begin(); });
  }

  // A server past one process's connections: this process listens first, then the others on its
  // port; it is ready when they all are.
  void configure_listeners(protocol::PeerConfig config) {
    const int processes = config.listeners;
    protocol::PeerConfig others = first_of(config, processes);
    peer_ = std::make_unique<peer::Peer>(io_, out_, std::move(config));
    start_others_once_listening(*peer_, std::move(others), processes);
    peer_->begin();
  }

  // A proxy; past one process's connections, this process listens first, then the others on its
  // port, each relaying from its own source address; it is ready when they all are.
  void configure_proxy(protocol::PeerConfig config) {
    const int processes = config.listeners;
    protocol::PeerConfig others = first_of(config, processes);
    proxy_ = std::make_unique<peer::Proxy>(io_, out_, std::move(config));
    if (processes > 1) start_others_once_listening(*proxy_, std::move(others), processes);
    proxy_->begin();
  }

  // Makes `config` that of the first of `processes` listening processes (as it is, when there is
  // one); returns it as it came, for the others (peers/shards.hpp splits it).
  static protocol::PeerConfig first_of(protocol::PeerConfig& config, int processes) {
    protocol::PeerConfig others = config;
    config.listeners = 1;
    config.more_sources.clear();
    if (processes > 1) {
      config.shard = 0;
      config.shards = processes;
    }
    return others;
  }

  // Once `first` (a server or proxy) listens, the other processes bind its port; the peer is
  // ready when they all are.
  template <class Listener>
  void start_others_once_listening(Listener& first, protocol::PeerConfig others, int processes) {
    first.when_listening([this, others = std::move(others), processes](int port) mutable {
      others.listen.port = port;
      shards_.start_listeners(std::move(others), processes);
      shards_.when_ready([this] { out_.ready(); });
    });
  }

  asio::io_context& io_;
  peer::LineWriter& out_;
  std::unique_ptr<peer::Peer> peer_;
  std::unique_ptr<peer::Proxy> proxy_;
  peer::Shards shards_{io_, out_};
};

// Blocking reads of stdin on their own thread (stdin may be any kind of file); each complete
// line goes to the event loop. End of input means the runner is gone: exit at once.
void read_stdin(asio::io_context& io, Control& control) {
  std::string pending;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(0);
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      asio::post(io, [&control, line = std::move(line)] { control.line(line); });
    }
  }
}

constexpr const char* kUsage = "usage: sockdrill-peer [--case NAME] [--peer NAME] | --help\n";

constexpr const char* kAbout =
    "sockdrill-peer is the process sockdrill starts for each server, client or proxy peer of a "
    "case, inside the case's namespaces; it is not meant to be run by hand. It reads its "
    "configuration and the runner's cues as JSON lines on stdin and writes what it sees (ready, "
    "bound, events, synced) as JSON lines on stdout; end of stdin ends it. --case NAME and "
    "--peer NAME only label the process (for ps); --help prints this. Cases are run with "
    "`sockdrill run`; the case format is docs/case-format.md and the processes are described in "
    "ARCHITECTURE.md.\n";

// The arguments: labels only, or --help. Returns the exit status when the process must end now.
std::optional<int> read_arguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::fputs(kAbout, stdout);
      return 0;
    }
    if ((arg == "--case" || arg == "--peer") && i + 1 < argc) {
      ++i;
      continue;
    }
    std::fprintf(stderr, "sockdrill-peer: %s \"%s\"\n%s",
                 arg == "--case" || arg == "--peer" ? "expected a NAME after" : "unknown argument",
                 arg.c_str(), kUsage);
    return 2;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  if (auto status = read_arguments(argc, argv)) return *status;
  signal(SIGPIPE, SIG_IGN);  // a write to a reset peer is an EPIPE event, not a death
  raise_fd_limit();
  asio::io_context io(1);
  peer::LineWriter out(1);
  out.batch_on(io);
  // Asio makes a timer's service on a timer's first use; made here, while descriptors are
  // plentiful: the first timer of a server used to be the pause after accept() failed with
  // EMFILE, and making the service then was undefined behaviour (UBSan: invalid vptr in
  // timer_queue_base; Fidelity.RunningOutOfDescriptorsIsALimitErrorNotAFailure, ASan build).
  asio::steady_timer first_timer(io);
  Control control(io, out);
  auto work = asio::make_work_guard(io);  // the loop lives until stdin ends
  std::thread reader([&] { read_stdin(io, control); });
  reader.detach();
  try {
    io.run();
  } catch (const std::exception& e) {
    out.fatal(std::string("event loop: ") + e.what());
  }
  return 0;
}
