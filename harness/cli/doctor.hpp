// `sockdrill doctor`: which mechanisms this machine and kernel give, and what cases get without one.
#pragma once
#include <ostream>

namespace sockdrill {

// Runs every probe of harness/cli/doctor/probes.cpp (each in a forked child, in fresh
// namespaces where it needs them: nothing on the host changes) and prints one line per
// mechanism: `ok` or `missing`, what was seen, and for a missing one what a case needing it
// gets. Returns 0 when everything the case library needs is there, 1 otherwise.
int run_doctor(std::ostream& out);

}  // namespace sockdrill
