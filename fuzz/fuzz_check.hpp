// What a fuzz target does when a contract of the code under test is broken: says which, then
// aborts, so libFuzzer keeps the input as a crash.
#pragma once
#include <cstdio>
#include <cstdlib>

namespace sockdrill::fuzz {

inline void require(bool holds, const char* contract) {
  if (holds) return;
  std::fprintf(stderr, "fuzz: contract broken: %s\n", contract);
  std::abort();
}

}  // namespace sockdrill::fuzz
