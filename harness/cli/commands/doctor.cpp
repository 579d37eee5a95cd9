// `sockdrill doctor`: the mechanisms this machine gives (harness/cli/doctor/).
#include <iostream>

#include "harness/cli/commands/command.hpp"
#include "harness/cli/doctor.hpp"

namespace sockdrill {

CommandAction define_doctor(CLI::App&) {
  return [] { return run_doctor(std::cout); };
}

}  // namespace sockdrill
