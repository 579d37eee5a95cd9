// A peer past one process's connections (a client's, or a server's listeners): its other
// processes, and their lines relayed.
#include "peers/shards.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <istream>
#include <stdexcept>

#include "common/clock.hpp"
#include "protocol/peer_messages.hpp"
#include "protocol/runner_messages.hpp"

namespace sockdrill::peer {

namespace {

// The value of a line's "type" key, without parsing the line: inside a JSON string every '"'
// is escaped, so the first `"type":"` in a line is the object's own key.
std::string_view type_of(std::string_view line) {
  constexpr std::string_view key = "\"type\":\"";
  const std::size_t at = line.find(key);
  if (at == std::string_view::npos) return {};
  const std::size_t begin = at + key.size();
  const std::size_t end = line.find('"', begin);
  return end == std::string_view::npos ? std::string_view{} : line.substr(begin, end - begin);
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n > 0) done += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR) continue;
    else return;  // the child is gone: its end of output says so
  }
}

}  // namespace

void Shards::when_ready(std::function<void()> f) {
  if (ready_ == children_.size()) return f();
  all_ready_ = std::move(f);
}

void Shards::start(protocol::PeerConfig& config) {
  if (config.more_sources.empty()) return;
  const int processes = 1 + static_cast<int>(config.more_sources.size());
  std::vector<protocol::SourcePair> sources = std::move(config.more_sources);
  config.more_sources.clear();
  config.shard = 0;
  config.shards = processes;
  for (int k = 1; k < processes; ++k) {
    protocol::PeerConfig child = config;
    child.shard = k;
    child.source_v4 = sources[static_cast<std::size_t>(k - 1)].v4;
    child.source_v6 = sources[static_cast<std::size_t>(k - 1)].v6;
    spawn_child(k, child);
  }
}

void Shards::start_listeners(protocol::PeerConfig config, int processes) {
  std::vector<protocol::SourcePair> sources = std::move(config.more_sources);
  config.more_sources.clear();
  config.listeners = 1;
  config.shards = processes;
  for (int k = 1; k < processes; ++k) {
    protocol::PeerConfig child = config;
    child.shard = k;
    if (static_cast<std::size_t>(k) <= sources.size()) {  // a proxy: its connections from its own address
      child.source_v4 = sources[static_cast<std::size_t>(k - 1)].v4;
      child.source_v6 = sources[static_cast<std::size_t>(k - 1)].v6;
    }
    spawn_child(k, child);
  }
}

void Shards::spawn_child(int index, const protocol::PeerConfig& config) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe for connection process " + std::to_string(index) + ": " +
                             std::strerror(errno));
  const pid_t parent = ::getpid();
  const std::string label = config.name + "#" + std::to_string(index);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(0);
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    const char* argv[] = {"sockdrill-peer", "--peer", label.c_str(), nullptr};
    ::execv("/proc/self/exe", const_cast<char* const*>(argv));
    _exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  auto child = std::make_unique<Child>();
  child->pid = pid;
  child->index = index;
  child->to_child = in[1];
  child->from_child = std::make_unique<asio::posix::stream_descriptor>(io_, out[0]);
  send(*child, protocol::to_json(config).dump(-1, ' ', false, Json::error_handler_t::replace));
  Child& c = *children_.emplace_back(std::move(child));
  asio::co_spawn(io_, relay(c), asio::detached);
}

void Shards::send(Child& child, const std::string& line) { write_all(child.to_child, line + "\n"); }

void Shards::forward(const std::string& line) {
  for (auto& c : children_) send(*c, line);
}

void Shards::sync(std::uint64_t id) {
  if (children_.empty()) return out_.synced(id);
  syncs_[id] = PendingSync{0, monotonic_ns()};
  forward(protocol::to_line(protocol::Sync{id}));
}

asio::awaitable<void> Shards::relay(Child& child) {
  asio::streambuf buffer;
  std::string line;
  for (;;) {
    auto [ec, n] = co_await asio::async_read_until(*child.from_child, buffer, '\n',
                                                   asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    std::istream in(&buffer);
    std::getline(in, line);
    on_line(child, line);
  }
  out_.fatal("connection process " + std::to_string(child.index) + " of " +
             std::to_string(children_.size() + 1) + " (pid " + std::to_string(child.pid) +
             ") ended on its own");
}

void Shards::on_line(Child& child, const std::string& line) {
  const std::string_view type = type_of(line);
  if (type == "ready") {
    if (++ready_ == children_.size() && all_ready_) all_ready_();
    return;
  }
  if (type == "bound") return;  // the same port this process announced before its children began
  if (type == "synced") {
    std::string problem;
    auto message = protocol::read_peer_line(line, problem);
    if (!message || !std::holds_alternative<protocol::Synced>(*message))
      out_.fatal("connection process " + std::to_string(child.index) + " wrote: " + line);
    const auto& synced = std::get<protocol::Synced>(*message);
    auto pending = syncs_.find(synced.id);
    if (pending == syncs_.end()) return;
    pending->second.earliest_ns = std::min(pending->second.earliest_ns, synced.t_ns);
    if (++pending->second.answers < children_.size()) return;
    out_.synced_at(synced.id, pending->second.earliest_ns);
    syncs_.erase(pending);
    return;
  }
  out_.relay(line);  // events, limits and fatal errors as the child wrote them
}

}  // namespace sockdrill::peer
