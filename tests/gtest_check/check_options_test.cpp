// SOCKDRILL_LEAK_CHECK over the options given in code: each word, and what a wrong one says.
#include "gtest/check_options.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace sockdrill::testing::detail {
namespace {

std::string error_of(const std::string& text) {
  try {
    apply_override({}, text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(LeakCheckOptions, DefaultsAreASecondAndNotStrict) {
  const LeakCheckOptions options;
  EXPECT_EQ(options.settle_ms, 1000);
  EXPECT_FALSE(options.strict);
  EXPECT_TRUE(options.ignored_ports.empty());
}

TEST(LeakCheckOptions, EachWordOfTheOverride) {
  LeakCheckOptions base;
  base.ignored_ports = {8080};
  const LeakCheckOptions options = apply_override(base, "strict, settle_ms=200,ignore_port=5432,");
  EXPECT_TRUE(options.strict);
  EXPECT_EQ(options.settle_ms, 200);
  EXPECT_EQ(options.ignored_ports, (std::vector<std::uint16_t>{8080, 5432}));
  EXPECT_FALSE(apply_override(options, "strict=0").strict);
  EXPECT_TRUE(apply_override({}, "strict=1").strict);
  EXPECT_EQ(apply_override(options, "").settle_ms, 200) << "an empty override changes nothing";
  EXPECT_EQ(apply_override({}, "settle_ms=0").settle_ms, 0);
}

TEST(LeakCheckOptions, AWrongWordSaysWhatWasExpected) {
  EXPECT_EQ(error_of("settle_ms=1s"),
            "SOCKDRILL_LEAK_CHECK: \"settle_ms=1s\": expected settle_ms=N, N a whole number of "
            "milliseconds from 0 to 600000");
  EXPECT_NE(error_of("settle_ms=-5").find("expected settle_ms=N"), std::string::npos);
  EXPECT_NE(error_of("settle_ms=600001").find("expected settle_ms=N"), std::string::npos);
  EXPECT_NE(error_of("ignore_port=0")
                .find("\"ignore_port=0\": expected ignore_port=P, P a port from 1 to 65535"),
            std::string::npos);
  EXPECT_NE(error_of("ignore_port=70000").find("expected ignore_port=P"), std::string::npos);
  EXPECT_NE(error_of("strict=yes").find("\"strict=yes\": expected strict, strict=1 or strict=0"),
            std::string::npos);
  EXPECT_EQ(
      error_of("strict,stirct"),
      "SOCKDRILL_LEAK_CHECK: \"stirct\": expected strict, settle_ms=N or ignore_port=P, separated "
      "by commas");
}

TEST(LeakCheckOptions, ValuesGivenInCodeAreChecked) {
  LeakCheckOptions options;
  EXPECT_NO_THROW(validate(options));
  options.settle_ms = -1;
  EXPECT_THROW(validate(options), std::invalid_argument);
  options.settle_ms = 10;
  options.ignored_ports = {0};
  EXPECT_THROW(validate(options), std::invalid_argument);
}

}  // namespace
}  // namespace sockdrill::testing::detail
