// What the fuzzers (fuzz/) found in the case checker, each kept as a test that failed before its fix.
#include <gtest/gtest.h>

#include <string>

#include "harness/case/case_parser.hpp"

namespace sockdrill {
namespace {

// nlohmann throws out_of_range (not parse_error) for a number no double holds; uncaught, it
// aborted `sockdrill check`. Seed: fuzz/corpus/case_checker/number_overflow.json.
TEST(CaseCheckerFuzzFindings, ANumberNoDoubleHoldsIsAnErrorOfTheFile) {
  for (const std::string& text : {std::string(R"({"about": "x", "seed": 5e593, "peers": {}})"),
                                 std::string(R"({"about": "x", "peers": {}, "x": [-1e400]})")}) {
    ParseResult result;
    ASSERT_NO_THROW(result = parse_case_text(text, "case.json")) << text;
    EXPECT_FALSE(result.spec) << text;
    ASSERT_EQ(result.errors.size(), 1u) << text;
    EXPECT_TRUE(result.errors[0].message.starts_with("case.json")) << result.errors[0].message;
  }
}

}  // namespace
}  // namespace sockdrill
