// What guard says about a run: stderr text, the JSON report, the JUnit report, the exit status.
#pragma once
#include <ostream>
#include <string>

#include "common/json.hpp"
#include "harness/guard/guard_options.hpp"
#include "harness/guard/guard_result.hpp"

namespace sockdrill::guard {

// guard_text.cpp: each leak as describe_leak() gives it, then one summary line, all prefixed
// for stderr ("sockdrill guard: ...").
std::string guard_text(const GuardResult& result);

// guard_json.cpp: {"command", "exit_code", "leaks": [...], ...} (the README lists the keys).
Json guard_json(const GuardResult& result);

// guard_junit.cpp: one <testcase> per process of the tree that held TCP sockets, failed when
// it leaked; the command's exit status is one more testcase.
void write_guard_junit(std::ostream& out, const GuardResult& result);

// guard's own status: 125 when it could not watch; the command's status when that is not 0;
// otherwise options.leak_exit_code when something leaked, else 0.
int guard_exit_code(const GuardResult& result, const GuardOptions& options);

}  // namespace sockdrill::guard
