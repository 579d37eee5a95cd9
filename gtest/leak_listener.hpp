// The GoogleTest listener that runs a LeakWatch around each test and fails the test for its leaks.
#pragma once
#include <gtest/gtest.h>

#include <memory>

#include "leak_watch.hpp"

namespace sockdrill::testing::detail {

class LeakListener final : public ::testing::EmptyTestEventListener {
 public:
  LeakListener(LeakCheckOptions options, std::unique_ptr<HeldSocketSource> source);

  void OnTestStart(const ::testing::TestInfo& test) override;
  // GoogleTest calls listeners' OnTestEnd in reverse order of appending, so this one runs before
  // the default printer's, with the test still current: a failure added here is the test's and
  // is printed before its "[  FAILED  ]" line (tests/gtest_check checks both).
  void OnTestEnd(const ::testing::TestInfo& test) override;

 private:
  // Says once, on stderr, that sockets cannot be checked; no test fails for it.
  void give_up(const char* what);

  std::unique_ptr<HeldSocketSource> source_;
  LeakWatch watch_;
  int settle_ms_;
  bool given_up_ = false;
};

}  // namespace sockdrill::testing::detail
