// One doctor probe: a mechanism sockdrill uses, how to see whether it is there, what lacking it does.
#pragma once
#include <sys/types.h>
#include <unistd.h>

#include <functional>
#include <span>
#include <string>

#include "harness/run/isolation.hpp"
#include "harness/run/subordinate_ids.hpp"

namespace sockdrill::doctor {

struct ProbeResult {
  bool ok = false;
  std::string detail;  // what was seen: "unshare(CLONE_NEWUSER) works", "nft: Operation not permitted"
};

// Who the probes are for; tests put other files or ids here.
struct ProbeContext {
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  SubidFiles subid_files;
};

struct Probe {
  const char* name;         // "user namespaces"
  const char* consequence;  // what a case that needs it gets when it is missing
  // Whether the case library needs it (doctor exits 1 without it); false: a case still gets
  // the same verdict, only slower or with less recorded.
  bool needed;
  ProbeResult (*check)(const ProbeContext&);
};

// Every probe, in the order doctor prints them (probes.cpp).
std::span<const Probe> probes();

// Runs `check` in a forked child that entered namespaces as a case's runner does
// (enter_case_namespaces and prepare_case_namespace), and returns its answer. A child that
// cannot enter them, or dies, answers not ok with the reason.
ProbeResult in_case_namespaces(const std::function<ProbeResult(const IsolationInfo&)>& check);

// Runs `check` in a plain forked child (so it may unshare without changing this process).
ProbeResult in_child(const std::function<ProbeResult()>& check);

// The probes, one per file.
ProbeResult probe_user_namespace(const ProbeContext&);
ProbeResult probe_full_id_range(const ProbeContext&);
ProbeResult probe_network_namespace(const ProbeContext&);
ProbeResult probe_pid_mount_namespaces(const ProbeContext&);
ProbeResult probe_nftables(const ProbeContext&);
ProbeResult probe_ipv6_loopback(const ProbeContext&);
ProbeResult probe_destroy_notices(const ProbeContext&);
ProbeResult probe_private_tcp_table(const ProbeContext&);
ProbeResult probe_pcap_loopback(const ProbeContext&);

}  // namespace sockdrill::doctor
