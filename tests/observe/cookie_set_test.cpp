// CookieSet in both of its forms: a bitmap over dense cookies, a table over spread ones.
#include "harness/observe/cookie_set.hpp"

#include <gtest/gtest.h>

namespace {

using sockdrill::CookieSet;

void check_set_semantics(CookieSet& set, const std::vector<std::uint64_t>& cookies) {
  for (std::uint64_t c : cookies) EXPECT_FALSE(set.contains(c)) << c;
  for (std::uint64_t c : cookies) EXPECT_TRUE(set.insert(c)) << c;
  for (std::uint64_t c : cookies) EXPECT_FALSE(set.insert(c)) << "again: " << c;
  for (std::uint64_t c : cookies) EXPECT_TRUE(set.contains(c)) << c;
  EXPECT_FALSE(set.contains(cookies.front() + 1));
}

TEST(CookieSet, NearlyConsecutiveCookiesMakeABitmap) {
  CookieSet set;
  set.reset(1000, 1000 + 99'999, 40'000);
  EXPECT_TRUE(set.dense());
  check_set_semantics(set, {1000, 1063, 1064, 100'999, 50'000});
  EXPECT_FALSE(set.contains(999)) << "below the range";
  EXPECT_FALSE(set.contains(101'000)) << "above the range";
}

TEST(CookieSet, SpreadCookiesMakeATable) {
  CookieSet set;
  set.reset(5, 5'000'000'000ull, 100);
  EXPECT_FALSE(set.dense());
  check_set_semantics(set, {5, 77, 4'999'999'999ull, 5'000'000'000ull, 123'456'789});
}

TEST(CookieSet, AResetEmptiesTheSetWhicheverFormItTakes) {
  CookieSet set;
  set.reset(1, 100, 10);
  ASSERT_TRUE(set.insert(50));
  set.reset(1, 1'000'000'000, 10);
  EXPECT_FALSE(set.contains(50));
  ASSERT_TRUE(set.insert(50));
  set.reset(1, 100, 10);
  EXPECT_FALSE(set.contains(50));
}

}  // namespace
