// main() of sockdrill::gtest_main: GoogleTest's, with the socket leak check installed.
#include <gtest/gtest.h>

#include <cstdio>
#include <exception>

#include "sockdrill/leak_check.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  try {
    sockdrill::testing::install_leak_check();
  } catch (const std::exception& e) {
    // An invalid SOCKDRILL_LEAK_CHECK: no test runs, so a CI typo is not a silent pass.
    std::fprintf(stderr, "%s: %s\n", argc > 0 ? argv[0] : "gtest_main", e.what());
    return 2;
  }
  return RUN_ALL_TESTS();
}
