// Processes and their sockets read from /proc: what a `command` peer's process tree holds.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace sockdrill {

struct ProcEntry {
  pid_t ppid = 0;
  std::uint64_t start_ticks = 0;  // field 22 of /proc/PID/stat: tells a reused pid apart
};

// Every process /proc lists (thread group leaders), with its parent and start time.
std::unordered_map<pid_t, ProcEntry> read_processes();

// The tree: `roots` that still exist and all their descendants, according to `procs`.
std::vector<pid_t> process_tree(const std::vector<pid_t>& roots,
                                const std::unordered_map<pid_t, ProcEntry>& procs);

// Its argv joined by spaces, as /proc/PID/cmdline gives it, cut to `limit` bytes (with "...");
// "[comm]" for a process without one (a kernel thread, a zombie); empty when it is gone.
std::string command_line_of(pid_t pid, std::size_t limit = 200);

// One open descriptor of a process that is a socket.
struct SocketDescriptor {
  int fd = -1;
  std::uint32_t inode = 0;
};

// Appends every socket among the open file descriptors of `pid` (the targets of /proc/PID/fd/*
// that read "socket:[INODE]"), with its descriptor number. A process that is gone or unreadable
// adds nothing; false when its descriptors could not all be read (gone: errno ENOENT; another
// user's, or refused by a security module: EACCES).
bool socket_descriptors_of(pid_t pid, std::vector<SocketDescriptor>& out);

// Every pid /proc lists, in increasing order.
std::vector<pid_t> process_ids();

// The two halves of socket_descriptors_of, for a reader that splits a large table into chunks:
// the descriptor numbers in /proc/PID/fd (false when it cannot be listed; errno says why), and
// the sockets among some of them (false, errno EACCES, when a readlink was refused: the process
// is not wholly read; a process that ended meanwhile holds nothing).
bool descriptor_numbers_of(pid_t pid, std::vector<int>& out);
bool socket_descriptors_among(pid_t pid, std::span<const int> fds, std::vector<SocketDescriptor>& out);

// Appends the inode of every socket among the open file descriptors of `pid` (the targets of
// /proc/PID/fd/* that read "socket:[INODE]"). A process that is gone or unreadable adds nothing.
void socket_inodes_of(pid_t pid, std::vector<std::uint32_t>& out);

}  // namespace sockdrill
