// Namespaces for one case: made without root through a user namespace, torn down by the kernel.
#include "harness/run/isolation.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/ipv6.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "harness/run/id_mapper.hpp"

namespace sockdrill {
namespace {

// Writes `text` to a /proc file in one write(2) (the kernel reads a setting from one write).
// Returns 0 or the errno; `why` says what happened.
int try_write_file(const std::string& path, const std::string& text, std::string& why) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    why = "cannot open " + path + ": " + std::strerror(err);
    return err;
  }
  const ssize_t n = ::write(fd, text.data(), text.size());
  const int err = n < 0 ? errno : 0;
  ::close(fd);
  if (n < 0) {
    why = "cannot write " + path + ": " + std::strerror(err);
    return err;
  }
  if (n != static_cast<ssize_t>(text.size())) {
    why = "cannot write " + path + ": the kernel took " + std::to_string(n) + " of " +
          std::to_string(text.size()) + " bytes";
    return EIO;
  }
  return 0;
}

void write_file(const std::string& path, const std::string& text) {
  std::string why;
  if (try_write_file(path, text, why) != 0) throw std::runtime_error(why);
}

std::string sysctl_path(const std::string& key) {
  std::string path = "/proc/sys/";
  for (char c : key) path += (c == '.') ? '/' : c;
  return path;
}

// A sysctl's value as its file shows it (tabs as spaces), into `out`; nothing when unreadable.
void read_sysctl_into(const std::string& key, std::map<std::string, std::string>& out) {
  std::ifstream in(sysctl_path(key));
  std::string value;
  if (in && std::getline(in, value)) {
    for (char& c : value)
      if (c == '\t') c = ' ';
    out[key] = value;
  }
}

// Defaults the kernel derives from the size of a namespace's TCP table.
const char* const kTableSizedSysctls[] = {"net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_max_syn_backlog"};

bool map_is_empty(const char* path) {
  std::ifstream in(path);
  std::string line;
  return !std::getline(in, line) || line.empty();
}

// Only the user's own id as root: what any user may map in a namespace it made. A map a failed
// newuidmap/newgidmap already wrote stays (a map is written once).
void map_one_id(uid_t uid, gid_t gid) {
  if (map_is_empty("/proc/self/uid_map")) write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
  if (map_is_empty("/proc/self/gid_map")) {
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
  }
}

// Maps ids in the user namespace just made: the full range when `mapper` exists and works.
void map_ids(IsolationInfo& info, IdMapper* mapper, const IdMapPlan* plan, uid_t uid, gid_t gid) {
  if (mapper != nullptr) {
    const std::string why = mapper->map();
    if (why.empty()) {
      info.ids = CaseIds::full_range;
      if (plan->short_range())
        info.id_note = "the subordinate range is short of " + std::to_string(kFullIdRange) +
                       " ids (" + plan->summary() + "): ids beyond it are unmapped in the case";
      return;
    }
    info.id_note = "could not map " + plan->user + "'s subordinate ids, so the case has one id: " + why;
  }
  info.ids = CaseIds::one_id;
  map_one_id(uid, gid);
}

// A new IPv6 address is tentative until the kernel's address work has run (soon on loopback,
// later under load); until then binding it fails with EADDRNOTAVAIL, and a client given it
// would fail to connect. Waits until a socket can bind it, up to 2 s.
void wait_until_bindable(const in6_addr& address, const std::string& text) {
  const int fd = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket(AF_INET6): ") + std::strerror(errno));
  sockaddr_in6 at{};
  at.sin6_family = AF_INET6;
  at.sin6_addr = address;
  int err = 0;
  for (int tries = 0; tries < 2000; ++tries) {
    if (::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0) {
      ::close(fd);
      return;
    }
    if ((err = errno) != EADDRNOTAVAIL) break;
    const timespec pause{0, 1'000'000};
    ::nanosleep(&pause, nullptr);
  }
  ::close(fd);
  throw std::runtime_error(text + " was added to loopback but cannot be bound: " + std::strerror(err));
}

volatile sig_atomic_t g_child_pid = 0;

// Passed on as SIGTERM: the runner ends the case and writes its record (the controller kills
// it if that takes too long).
void forward_stop(int) {
  if (g_child_pid > 0) ::kill(g_child_pid, SIGTERM);
}

}  // namespace

std::string IsolationInfo::ids_text() const {
  switch (ids) {
    case CaseIds::root: return "root";
    case CaseIds::one_id: return "user namespace, one id";
    case CaseIds::full_range: return "user namespace, full id range (subuid)";
  }
  return "unknown";
}

std::string IsolationInfo::describe() const {
  std::string s = ids_text() + "; network namespace";
  if (pid_namespace) s += ", PID and mount namespaces";
  if (private_tcp_table) s += ", private TCP table of " + std::to_string(tcp_table_buckets) + " buckets";
  return s;
}

IsolationInfo enter_case_namespaces(std::uint32_t tcp_table_buckets) {
  IsolationInfo info;
  // Die with the controller, and leave its process group so a terminal's Ctrl-C reaches only
  // the controller, which then ends every case in order.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::setpgid(0, 0);

  const uid_t uid = ::geteuid();
  const gid_t gid = ::getegid();
  int flags = CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS;
  if (uid != 0) flags |= CLONE_NEWUSER;
  info.user_namespace = uid != 0;
  // The helper that maps a full range must be made before we leave the host's namespaces.
  std::optional<IdMapPlan> plan;
  std::unique_ptr<IdMapper> mapper;
  if (info.user_namespace) {
    plan = plan_id_maps(uid, gid).plan;
    if (plan) {
      try {
        mapper = std::make_unique<IdMapper>(*plan, uid, gid);
      } catch (const std::exception& e) {
        info.id_note = std::string("no full id range: ") + e.what();
      }
    }
  }
  if (::unshare(flags) != 0) {
    // Some containers forbid PID or mount namespaces; a network namespace is what matters.
    flags &= ~(CLONE_NEWPID | CLONE_NEWNS);
    if (::unshare(flags) != 0)
      throw std::runtime_error(std::string("cannot create a network namespace for the case: ") +
                               std::strerror(errno) +
                               (uid != 0 ? " (are unprivileged user namespaces enabled? "
                                           "see /proc/sys/user/max_user_namespaces)"
                                         : ""));
  }
  info.pid_namespace = (flags & CLONE_NEWPID) != 0;
  if (info.user_namespace) map_ids(info, mapper.get(), plan ? &*plan : nullptr, uid, gid);
  mapper.reset();

  // The case's own TCP connection table: a namespace gets a private one when its creator's
  // namespace sets tcp_child_ehash_entries (Linux 6.1+). Without it every sample walks every
  // socket of the machine. The in-between namespace is dropped as soon as we leave it.
  if (::access("/proc/sys/net/ipv4/tcp_child_ehash_entries", W_OK) == 0) {
    // The kernel derives two defaults from a namespace's table size (tcp_max_tw_buckets: half
    // the buckets, 16,384 here; tcp_max_syn_backlog: a 128th, 256): the case keeps those of the
    // table it would otherwise share, so a private table changes speed only, not behaviour.
    std::map<std::string, std::string> kept;
    for (const char* key : kTableSizedSysctls) read_sysctl_into(key, kept);
    try {
      write_file("/proc/sys/net/ipv4/tcp_child_ehash_entries", std::to_string(tcp_table_buckets));
      if (::unshare(CLONE_NEWNET) == 0) {
        info.private_tcp_table = true;
        info.tcp_table_buckets = tcp_table_buckets;
        for (const auto& [key, value] : kept) write_file(sysctl_path(key), value);
      }
    } catch (const std::exception&) {
      // An older kernel or a refusal: the shared table still gives true answers, only slower.
    }
  }

  pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    return info;
  }
  // The parent stays outside the PID namespace and only relays: when it goes, the child (PID 1)
  // goes, and with it every process of the case.
  g_child_pid = child;
  struct sigaction sa {};
  sa.sa_handler = forward_stop;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGHUP, &sa, nullptr);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) ::_exit(WEXITSTATUS(status));
  ::_exit(128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
}

void prepare_case_namespace(const IsolationInfo& info) {
  if (info.pid_namespace) {
    // A private /proc that shows the case's own processes; the mount namespace keeps it ours.
    ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
      throw std::runtime_error(std::string("cannot mount /proc in the case's namespace: ") +
                               std::strerror(errno));
  }
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags |= IFF_UP;
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  int err = errno;
  ::close(fd);
  if (!ok)
    throw std::runtime_error(std::string("cannot bring loopback up in the case's namespace: ") +
                             std::strerror(err));
}

void add_loopback_ipv6(const std::string& address) {
  in6_ifreq req{};
  if (::inet_pton(AF_INET6, address.c_str(), &req.ifr6_addr) != 1)
    throw std::runtime_error("not an IPv6 address: " + address);
  req.ifr6_prefixlen = 128;
  req.ifr6_ifindex = static_cast<int>(::if_nametoindex("lo"));
  int fd = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket(AF_INET6): ") + std::strerror(errno));
  int rc = ::ioctl(fd, SIOCSIFADDR, &req);
  int err = errno;
  ::close(fd);
  if (rc != 0 && err != EEXIST)
    throw std::runtime_error("cannot add " + address + " to loopback: " + std::strerror(err));
  wait_until_bindable(req.ifr6_addr, address);
}

std::vector<SysctlFailure> apply_sysctls(const std::map<std::string, std::string>& sysctls) {
  std::vector<SysctlFailure> failures;
  for (auto& [key, value] : sysctls) {
    std::string why;
    if (int err = try_write_file(sysctl_path(key), value, why); err != 0)
      failures.push_back({key, err, "sysctl " + key + " = " + value + ": " + why});
  }
  return failures;
}

bool ipv6_available() { return ::access("/proc/sys/net/ipv6", F_OK) == 0; }

std::map<std::string, std::string> read_tcp_sysctls(const std::map<std::string, std::string>& extra) {
  static const char* const kKeys[] = {
      "net.ipv4.tcp_fin_timeout",     "net.ipv4.tcp_keepalive_time",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
      "net.ipv4.tcp_syn_retries",     "net.ipv4.tcp_synack_retries",
      "net.ipv4.tcp_retries2",        "net.ipv4.tcp_orphan_retries",
      "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_abort_on_overflow",
      "net.ipv4.tcp_tw_reuse",        "net.ipv4.tcp_syncookies",
      "net.ipv4.ip_local_port_range", "net.core.somaxconn",
      "net.ipv4.tcp_rmem",            "net.ipv4.tcp_wmem",
      "net.ipv4.tcp_max_tw_buckets"};
  std::map<std::string, std::string> out;
  for (const char* k : kKeys) read_sysctl_into(k, out);
  for (auto& [k, v] : extra) read_sysctl_into(k, out);
  return out;
}

std::string kernel_version() {
  utsname u{};
  if (::uname(&u) != 0) return "unknown";
  return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

}  // namespace sockdrill
