// Tests of the JSON position scanner: pointers to line/column, syntax errors, duplicate keys.
#include "harness/case/json_locations.hpp"

#include <gtest/gtest.h>

namespace sockdrill {
namespace {

std::string at(const JsonScan& scan, const std::string& pointer, bool key = false) {
  auto* loc = scan.find(pointer);
  if (!loc) return "missing";
  auto p = key ? loc->key : loc->value;
  return std::to_string(p.line) + ":" + std::to_string(p.column);
}

TEST(JsonLocations, MapsEveryPointerToItsValueAndKey) {
  auto scan = scan_json(
      "{\n"
      "  \"a\": [1, {\"b\": true}],\n"
      "  // a comment\n"
      "  /* another */ \"c\": \"x\"\n"
      "}\n");
  ASSERT_FALSE(scan.syntax_error);
  EXPECT_EQ(at(scan, ""), "1:1");
  EXPECT_EQ(at(scan, "/a"), "2:8");
  EXPECT_EQ(at(scan, "/a", true), "2:3");
  EXPECT_EQ(at(scan, "/a/0"), "2:9");
  EXPECT_EQ(at(scan, "/a/1"), "2:12");
  EXPECT_EQ(at(scan, "/a/1/b"), "2:18");
  EXPECT_EQ(at(scan, "/c"), "4:22");
  EXPECT_EQ(at(scan, "/c", true), "4:17");
}

TEST(JsonLocations, EscapesPointerTokensAndCountsCharactersNotBytes) {
  auto scan = scan_json("{\"é\": 1, \"a/b\": 2, \"t~\": 3, \"\\u0041\": 4}");
  ASSERT_FALSE(scan.syntax_error);
  EXPECT_EQ(at(scan, "/é"), "1:7");
  EXPECT_EQ(at(scan, "/a~1b"), "1:17");
  EXPECT_EQ(at(scan, "/t~0"), "1:26");
  EXPECT_EQ(at(scan, "/A"), "1:39");
}

TEST(JsonLocations, ReportsDuplicateKeysWithBothPlaces) {
  auto scan = scan_json("{\"a\": 1,\n \"a\": 2}");
  ASSERT_FALSE(scan.syntax_error);
  ASSERT_EQ(scan.duplicate_keys.size(), 1u);
  EXPECT_EQ(scan.duplicate_keys[0].pointer, "/a");
  EXPECT_EQ(scan.duplicate_keys[0].where.line, 2);
  EXPECT_EQ(scan.duplicate_keys[0].where.column, 2);
  EXPECT_EQ(scan.duplicate_keys[0].first.line, 1);
  EXPECT_EQ(scan.duplicate_keys[0].first.column, 2);
  EXPECT_EQ(at(scan, "/a"), "2:7");  // nlohmann keeps the last value
}

TEST(JsonLocations, StopsAtTheFirstSyntaxError) {
  auto scan = scan_json("{\"a\": [1 2]}");
  ASSERT_TRUE(scan.syntax_error);
  EXPECT_EQ(scan.syntax_error->where.line, 1);
  EXPECT_EQ(scan.syntax_error->where.column, 10);
  EXPECT_EQ(scan.syntax_error->message,
            "expected ',' or ']' after item 0 of the array, found '2'");
}

TEST(JsonLocations, BoundsNesting) {
  std::string deep(300, '[');
  auto scan = scan_json(deep);
  ASSERT_TRUE(scan.syntax_error);
  EXPECT_EQ(scan.syntax_error->message, "expected at most 200 levels of nesting, found more");
}

TEST(JsonLocations, PositionAtCountsLinesAndCharacters) {
  auto p = position_at("ab\ncé d", 6);  // 'é' is two bytes
  EXPECT_EQ(p.line, 2);
  EXPECT_EQ(p.column, 3);
}

}  // namespace
}  // namespace sockdrill
