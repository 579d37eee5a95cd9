// The benchmarks' own --name=value flags, taken out of argv before Google Benchmark reads it.
#pragma once
#include <cstring>
#include <string>

namespace sockdrill::bench {

// Whether `arg` is "NAME=VALUE" for `name` ("--mib"); then `value` is VALUE.
inline bool take_flag(const char* arg, const char* name, std::string& value) {
  const std::size_t length = std::strlen(name);
  if (std::strncmp(arg, name, length) != 0 || arg[length] != '=') return false;
  value = arg + length + 1;
  return true;
}

}  // namespace sockdrill::bench
