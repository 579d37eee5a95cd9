// Doctor probe: can a case without root get a full id range (subordinate ids via newuidmap)?
#include "harness/cli/doctor/probe.hpp"

namespace sockdrill::doctor {

ProbeResult probe_full_id_range(const ProbeContext& ctx) {
  if (ctx.uid == 0) return {true, "not used: sockdrill runs as root, every id is real"};
  const IdMapChoice choice = plan_id_maps(ctx.uid, ctx.gid, ctx.subid_files);
  if (!choice.plan) return {false, choice.why_not};
  std::string detail = choice.plan->user + " has " + choice.plan->summary();
  if (choice.plan->short_range())
    detail += ", short of " + std::to_string(kFullIdRange) + ": ids beyond it are unmapped";
  // Only this process's own user and files can be tried for real.
  if (ctx.uid != ::geteuid() || ctx.gid != ::getegid() || !(ctx.subid_files == SubidFiles{}))
    return {true, detail};
  ProbeResult tried = in_case_namespaces([](const IsolationInfo& info) {
    if (info.ids == CaseIds::full_range) return ProbeResult{true, ""};
    return ProbeResult{false, info.id_note.empty() ? info.ids_text() : info.id_note};
  });
  if (!tried.ok) return {false, detail + ", but mapping them failed: " + tried.detail};
  return {true, detail + "; a case's namespace got them"};
}

}  // namespace sockdrill::doctor
