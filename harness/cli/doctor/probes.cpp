// The doctor's table: every mechanism sockdrill uses and what a case gets without it.
#include "harness/cli/doctor/probe.hpp"

namespace sockdrill::doctor {
namespace {

// The consequences name what the runner really does (runner.cpp set_up/start, isolation.cpp).
constexpr Probe kProbes[] = {
    {"user namespaces",
     "as a user no case can run: each ends error (harness), \"cannot create a network namespace\"; "
     "run as root, or enable unprivileged user namespaces",
     true, probe_user_namespace},
    {"full id range",
     "cases run with one id: a program that changes its user or chowns files (nginx's default "
     "set-up) fails where it passes as root; add a range: "
     "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 USER",
     false, probe_full_id_range},
    {"network namespace", "no case can run: each ends error (harness)", true, probe_network_namespace},
    {"PID and mount namespaces",
     "cases still run, with the host's /proc; what a case leaves behind ends through "
     "PR_SET_PDEATHSIG instead of with the namespace",
     false, probe_pid_mount_namespaces},
    {"nftables in the namespace", "a case with faults or counters: skip (nftables), with nft's reason",
     true, probe_nftables},
    {"IPv6 on loopback",
     "a case with IPv6 addresses: skip (ipv6); other clients connect over IPv4 only, with a warning",
     true, probe_ipv6_loopback},
    {"sock_diag destroy notices",
     "a case with a command peer: error (harness), \"cannot open sock_diag netlink\"", true,
     probe_destroy_notices},
    {"private TCP table",
     "same verdicts, but every sample reads every TCP socket of the machine (slower)", false,
     probe_private_tcp_table},
    {"pcap on loopback", "--pcap writes no capture for the case; its verdict is unchanged", false,
     probe_pcap_loopback},
};

}  // namespace

std::span<const Probe> probes() { return kProbes; }

}  // namespace sockdrill::doctor
