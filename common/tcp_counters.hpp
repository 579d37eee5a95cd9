// The namespace's TCP counters (/proc/net/netstat, /proc/net/snmp) and the sysctls that decide
// how long sockets stay in which state.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace sockdrill {

// Parses the "Prefix: Name Name...\nPrefix: value value..." pairs of /proc/net/netstat or
// /proc/net/snmp into "PrefixName" -> value (nstat's names: "TcpExtListenOverflows"), keeping
// the prefixes "Tcp" and "TcpExt". Lines it cannot pair are skipped.
void parse_proc_counters(std::string_view text, std::map<std::string, std::int64_t>& out);

// Both files of the calling thread's network namespace; empty when unreadable. (Only a case's
// checker reads the host's, for the names this kernel has.)
std::map<std::string, std::int64_t> read_tcp_counters();

// The sysctls that decide TCP's timers and queues, as /proc/sys shows them for the calling
// thread's namespace ("net.ipv4.ip_local_port_range" -> "32768 60999"); absent when unreadable.
std::map<std::string, std::string> read_tcp_sysctls();

}  // namespace sockdrill
