// Writing explain's findings.
#include "harness/field/explain_report.hpp"

#include <sstream>

#include "harness/field/snapshot_text.hpp"

namespace sockdrill::field {
namespace {

std::string scope_text(const ExplainInput& in) {
  const Snapshot& s = in.now;
  std::string out = thousands(s.sockets) + " TCP sockets of " + (s.netns_path.empty() ? s.netns : s.netns_path) +
                    " on " + s.host;
  if (in.before) out += ", compared with a snapshot taken " + std::to_string(s.taken_at_ms - in.before->taken_at_ms) + " ms before";
  return out;
}

}  // namespace

std::string explain_text(const ExplainInput& in, const std::vector<Finding>& findings) {
  std::ostringstream out;
  out << scope_text(in) << "\n";
  if (!in.now.all_processes && in.now.only_pids.empty())
    out << "(the descriptors of " << thousands(in.now.unreadable_processes)
        << (in.now.unreadable_processes == 1 ? " process" : " processes")
        << " could not be read: their sockets are named by no process)\n";
  if (findings.empty()) out << "no findings: nothing piles up, nothing waits on a program\n";
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    out << "\n[" << i + 1 << "] " << f.kind << ": " << thousands(f.count) << " - " << f.process << "\n";
    for (const std::string& line : f.evidence) out << "    " << line << "\n";
    out << "    the kernel will: " << f.kernel_will << "\n";
    out << "    the kernel will not: " << f.kernel_will_not << "\n";
    out << "    the mechanism, as a case: " << f.example_case << "\n";
  }
  if (!in.before)
    out << "\nreset_storm is judged only from two snapshots (explain --live, or explain EARLIER.json LATER.json)\n";
  return out.str();
}

Json explain_json(const ExplainInput& in, const std::vector<Finding>& findings) {
  Json list = Json::array();
  for (const Finding& f : findings)
    list.push_back({{"kind", f.kind},
                    {"pid", f.pid == 0 ? Json(nullptr) : Json(f.pid)},
                    {"process", f.process},
                    {"count", f.count},
                    {"evidence", f.evidence},
                    {"kernel_will", f.kernel_will},
                    {"kernel_will_not", f.kernel_will_not},
                    {"case", f.example_case}});
  Json not_judged = Json::array();
  if (!in.before) not_judged.push_back("reset_storm");
  return {{"format", "sockdrill-explain/1"},
          {"taken_at_ms", in.now.taken_at_ms},
          {"compared_with_ms", in.before ? Json(in.before->taken_at_ms) : Json(nullptr)},
          {"netns", in.now.netns},
          {"host", in.now.host},
          {"limits",
           {{"min_age_ms", in.limits.min_age_ms}, {"pile", in.limits.pile}, {"resets", in.limits.resets}}},
          {"findings", list},
          {"not_judged", not_judged}};
}

}  // namespace sockdrill::field
