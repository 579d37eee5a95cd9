// Which processes hold which sockets, from /proc/PID/fd.
#include "harness/field/socket_owners.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>

#include "harness/observe/process_tree.hpp"

namespace sockdrill::field {
namespace {

// Descriptors read per chunk, and the table size from which threads share the reading.
constexpr std::size_t kChunk = 2048;
constexpr std::size_t kThreadedFrom = 8192;

struct Chunk {
  pid_t pid = 0;
  std::vector<int> fds;
  std::vector<SocketDescriptor> sockets;  // among them
  bool refused = false;                   // a readlink was refused: the process is not wholly read
};

void read_chunk(Chunk& c) { c.refused = !socket_descriptors_among(c.pid, c.fds, c.sockets); }

}  // namespace

SocketOwners read_socket_owners(const std::vector<pid_t>& only,
                                const std::unordered_set<std::uint32_t>& wanted) {
  SocketOwners owners;
  std::vector<pid_t> pids = only.empty() ? process_ids() : only;
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());

  // First the descriptor numbers of every process (one getdents each), in chunks; then the
  // readlinks, the cost (one per descriptor, as ss -p), shared by threads on a large table.
  std::vector<Chunk> chunks;
  std::size_t descriptors = 0;
  for (pid_t pid : pids) {
    std::vector<int> fds;
    errno = 0;
    if (!descriptor_numbers_of(pid, fds)) {
      if (errno != ENOENT) ++owners.unreadable;  // ENOENT: it ended meanwhile
      continue;
    }
    ++owners.processes_read;
    descriptors += fds.size();
    for (std::size_t at = 0; at < fds.size(); at += kChunk) {
      Chunk& c = chunks.emplace_back();
      c.pid = pid;
      c.fds.assign(fds.begin() + static_cast<std::ptrdiff_t>(at),
                   fds.begin() + static_cast<std::ptrdiff_t>(std::min(fds.size(), at + kChunk)));
    }
  }
  const unsigned threads = descriptors < kThreadedFrom ? 1u : std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < chunks.size(); i = next++) read_chunk(chunks[i]);
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();

  pid_t refused_pid = 0;
  for (const Chunk& c : chunks) {  // in pid order: holders stay sorted
    if (c.refused && c.pid != refused_pid) {
      ++owners.unreadable;
      --owners.processes_read;
      refused_pid = c.pid;
    }
    for (const SocketDescriptor& socket : c.sockets) {
      if (!wanted.count(socket.inode)) continue;
      std::vector<pid_t>& holders = owners.holders[socket.inode];
      if (holders.empty() || holders.back() != c.pid) holders.push_back(c.pid);  // once per process
    }
  }
  return owners;
}

}  // namespace sockdrill::field
