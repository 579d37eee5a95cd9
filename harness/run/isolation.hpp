// Puts one case in namespaces of its own: network (always), user (when not root), PID and mount.
#pragma once
#include <cerrno>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sockdrill {

// Which ids the case's processes have: what a program that changes its user or chowns may do.
enum class CaseIds {
  root,        // sockdrill runs as root: every id is real
  one_id,      // a user namespace mapping only 0 -> the user's own id (setuid, chown fail)
  full_range,  // a user namespace mapping 0 -> the user and 1..N -> its subordinate ids
};

// A private TCP table's size when nothing is known of what will run in it (doctor, guard).
constexpr std::uint32_t kDefaultTcpTableBuckets = 32768;

struct IsolationInfo {
  bool user_namespace = false;  // true when made through a user namespace (not root)
  CaseIds ids = CaseIds::root;
  std::string id_note;  // a short range, or why the range could not be mapped (a warning)
  bool pid_namespace = false;   // true when the case's processes live in a PID namespace
  bool private_tcp_table = false;  // the namespace has its own TCP hash table (faster samples)
  std::uint32_t tcp_table_buckets = 0;  // its size, when it has one
  // "root", "user namespace, one id" or "user namespace, full id range (subuid)".
  std::string ids_text() const;
  // The record's `isolation`: ids_text(), "; ", then the namespaces ("network namespace, PID
  // and mount namespaces, private TCP table").
  std::string describe() const;
};

// Called first thing in the runner process while it is single-threaded. Unshares the
// namespaces, maps ids when not root (a full range through newuidmap/newgidmap when the user has
// subordinate ids, else only its own id), and forks: the child returns (it is PID 1
// of the new PID namespace when one could be made) and the parent never returns: it waits for
// the child and exits with its status, killing it if the parent itself is asked to stop.
// Throws std::runtime_error when no network namespace can be made. `tcp_table_buckets`: the size
// of the namespace's private TCP table, where the kernel can give it one (harness/run/tcp_table_size.hpp).
IsolationInfo enter_case_namespaces(std::uint32_t tcp_table_buckets = kDefaultTcpTableBuckets);

// In the child: remount /proc for the PID namespace, bring loopback up.
void prepare_case_namespace(const IsolationInfo& info);

// Adds an IPv6 address (/128) to loopback, so a peer can have a source address of its own.
void add_loopback_ipv6(const std::string& address);

struct SysctlFailure {
  std::string key;
  int err = 0;          // ENOENT: this kernel has no such setting in a network namespace
  std::string message;  // "sysctl KEY = VALUE: cannot write PATH: Invalid argument"
};
// Writes each "net.x.y" sysctl inside the current network namespace.
std::vector<SysctlFailure> apply_sysctls(const std::map<std::string, std::string>& sysctls);
// Whether this kernel has IPv6 in the current network namespace.
bool ipv6_available();
// Reads the sysctls that shape TCP behaviour (and the given extra ones) as they are now.
std::map<std::string, std::string> read_tcp_sysctls(const std::map<std::string, std::string>& extra);
// The running kernel, as `uname -srm` prints it.
std::string kernel_version();

}  // namespace sockdrill
