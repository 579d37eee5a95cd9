// One `sockdrill guard` run: start the command, sample its tree's sockets, end what it left.
#pragma once
#include "harness/guard/guard_options.hpp"
#include "harness/guard/guard_result.hpp"

namespace sockdrill::guard {

// Runs options.command and watches it to the end (see guard_session.cpp for the order of
// things). Never throws for the command's behaviour; guard's own failure is result.error.
// With options.isolate, first moves this process into namespaces of its own (it must be
// single-threaded then).
GuardResult watch_command(const GuardOptions& options);

}  // namespace sockdrill::guard
