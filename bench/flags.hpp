// The benchmarks' own --name=value flags, taken out of argv before Google Benchmark reads it.
#pragma once
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

namespace sockdrill::bench {

// Whether `arg` is "NAME=VALUE" for `name` ("--mib"); then `value` is VALUE.
inline bool take_flag(const char* arg, const char* name, std::string& value) {
  const std::size_t length = std::strlen(name);
  if (std::strncmp(arg, name, length) != 0 || arg[length] != '=') return false;
  value = arg + length + 1;
  return true;
}

// Google Benchmark's initialization with argv[1 .. kept - 1] (ours taken out), repetitions in random
// order across the benchmarks unless the flag says otherwise: load that drifts during the run (a
// shared machine) then weighs on every row alike, not on one. False when a flag is unknown.
inline bool initialize_interleaved(int kept, char** argv) {
  bool given = false;
  for (int i = 1; i < kept; ++i) given |= std::strncmp(argv[i], "--benchmark_enable_random_interleaving", 38) == 0;
  static std::vector<char*> args;  // Google Benchmark may keep pointers into argv
  args.assign(argv, argv + kept);
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  if (!given) args.push_back(interleave);
  int argc = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&argc, args.data());
  return !benchmark::ReportUnrecognizedArguments(argc, args.data());
}

}  // namespace sockdrill::bench
