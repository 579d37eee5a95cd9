// LazyLibrary: a library opened on first use, and the errors that name what could not be had.
#include "common/lazy_library.hpp"

#include <gtest/gtest.h>

namespace {

using sockdrill::LazyLibrary;
using sockdrill::LibraryUnavailable;

TEST(LazyLibrary, ResolvesAFunctionOnFirstUse) {
  LazyLibrary libc("libc.so.6");
  auto* to_int = libc.resolve<int(const char*)>("atoi");
  ASSERT_NE(to_int, nullptr);
  EXPECT_EQ(to_int("42"), 42);
}

TEST(LazyLibrary, ALibraryThatCannotBeLoadedIsNamedInTheError) {
  LazyLibrary missing("libsockdrill-no-such-library.so.9");
  try {
    missing.symbol("anything");
    FAIL() << "expected LibraryUnavailable";
  } catch (const LibraryUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("cannot load libsockdrill-no-such-library.so.9: "), std::string::npos)
        << e.what();
  }
  // The failure is remembered: asking again gives the same answer, not a crash.
  EXPECT_THROW(missing.symbol("anything"), LibraryUnavailable);
}

TEST(LazyLibrary, AMissingSymbolIsNamedInTheError) {
  LazyLibrary libc("libc.so.6");
  try {
    libc.symbol("sockdrill_no_such_function");
    FAIL() << "expected LibraryUnavailable";
  } catch (const LibraryUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("libc.so.6 has no sockdrill_no_such_function"), std::string::npos)
        << e.what();
  }
}

}  // namespace
