// install_leak_check: the options with SOCKDRILL_LEAK_CHECK over them, then the listener appended.
#include "sockdrill/leak_check.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "check_options.hpp"
#include "leak_listener.hpp"

namespace sockdrill::testing {

void install_leak_check(const LeakCheckOptions& options) {
  static bool installed = false;
  // Two listeners would report each leak twice.
  if (installed) throw std::logic_error("install_leak_check: the leak check is already installed");
  detail::validate(options);
  LeakCheckOptions effective = options;
  if (const char* text = std::getenv(kLeakCheckEnv))
    effective = detail::apply_override(effective, text);
  ::testing::UnitTest::GetInstance()->listeners().Append(
      new detail::LeakListener(effective, std::make_unique<detail::KernelHeldSockets>()));
  installed = true;
}

}  // namespace sockdrill::testing
