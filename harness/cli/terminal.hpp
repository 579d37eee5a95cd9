// The controller's terminal lines: written so that no stdout can stop or corrupt a run.
#pragma once
#include <string_view>

namespace sockdrill {

// Opens /dev/null on whichever of descriptors 0, 1 and 2 is closed, so that no file the
// program opens later (a pipe, a netlink socket) becomes its stdout by accident.
void keep_standard_descriptors_open();

// Writes to stdout, waiting at most a few seconds for room: a stdout that nobody reads (a full
// pipe) must not hold up the run. Past that, or when stdout is gone, the lines are dropped
// with one warning on stderr; the reports still hold everything.
void write_terminal(std::string_view text);

}  // namespace sockdrill
