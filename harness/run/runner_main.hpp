// The runner process of one case: forked by the controller with the validated case in memory,
// it enters the case's namespaces, runs the case and writes its record on stdout.
#pragma once
#include <string>

#include "harness/case/case_model.hpp"
#include "harness/run/runner.hpp"

namespace sockdrill {

// Runs in the child the controller forked (never returns to the controller's code: the caller
// _exits with the result). Prints the case's record as one JSON document on stdout; a harness
// failure still prints a record (error, reason code harness) whenever it can.
int runner_main(const CaseSpec& spec, const RunOptions& options);

}  // namespace sockdrill
