// `sockdrill doctor`: runs every probe and prints one line per mechanism.
#include <vector>

#include "harness/cli/doctor.hpp"
#include "harness/cli/doctor/probe.hpp"

namespace sockdrill {

int run_doctor(std::ostream& out) {
  const doctor::ProbeContext context;
  out << "sockdrill doctor: " << kernel_version() << ", running as uid " << context.uid << "\n";
  std::vector<std::string> lacking;
  for (const doctor::Probe& probe : doctor::probes()) {
    const doctor::ProbeResult r = probe.check(context);
    out << (r.ok ? "ok      " : "missing ") << probe.name << ": " << r.detail;
    if (!r.ok) out << "\n        without it: " << probe.consequence;
    out << "\n";
    out.flush();
    if (!r.ok && probe.needed) lacking.push_back(probe.name);
  }
  if (lacking.empty()) {
    out << "everything the case library needs is here\n";
    return 0;
  }
  out << "missing what the case library needs:";
  for (std::size_t i = 0; i < lacking.size(); ++i) out << (i ? ", " : " ") << lacking[i];
  out << "\n";
  return 1;
}

}  // namespace sockdrill
