// `sockdrill __case`: the runner process of one case, inside the case's namespaces.
#pragma once
#include <string>
#include <vector>

namespace sockdrill {

inline constexpr const char* kRunnerMode = "__case";

// FILE NAME PEER_PROGRAM [NAME=VALUE...]: enters the namespaces, runs the case and prints its
// record as one JSON document on stdout. A harness failure still prints a record (error,
// reason code harness) whenever the runner lives long enough to write one.
int runner_main(const std::vector<std::string>& args);

}  // namespace sockdrill
