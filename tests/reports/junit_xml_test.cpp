// JUnit output read back by a real XML parser (Python's), whatever bytes the record held.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "reports/writers.hpp"
#include "test_records.hpp"

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

// What python3 read_junit.py FILE prints, parsed; a failed parse fails the test.
Json parse_with_python(const fs::path& file) {
  const std::string command =
      std::string(SOCKDRILL_PYTHON) + " " + SOCKDRILL_READ_JUNIT + " " + file.string() + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << "the XML parser refused the file: " << out << "\n" << test::slurp(file);
  return status == 0 ? Json::parse(out) : Json::object();
}

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(JUnitXml, AnyBytesComeOutAsWellFormedXml) {
  CaseRecord c = test::failed_case();
  c.name = std::string("dir/sub/a<b>&\"c'd") + "\x01\x1b";
  c.file = "cases/]]>.json";
  c.outcome.reason = std::string("bell\x07 tab\t newline\n cr\r ]]> del\x7f end");
  c.command_failures.clear();
  c.expectations.resize(1);
  c.expectations[0].message =
      std::string("bad bytes \xff \xc0\x80 \xed\xa0\x80 \xef\xbf\xbf ok \xc3\xa9 \xf0\x9f\x90\x8d");
  const fs::path file =
      fs::temp_directory_path() / ("sockdrill-junit-" + std::to_string(::getpid()) + ".xml");
  write_junit_file({{c, test::skipped_case()}}, file);
  const Json read = parse_with_python(file);
  fs::remove(file);
  ASSERT_EQ(read["cases"].size(), 2u) << read.dump(2);
  const Json& got = read["cases"][0];
  EXPECT_EQ(got["name"], "dir/sub/a<b>&\"c'd" + kReplacement + kReplacement);
  EXPECT_EQ(got["classname"], "sockdrill.dir.sub");
  EXPECT_EQ(got["file"], "cases/]]>.json");
  EXPECT_EQ(got["outcome"], "failure");
  const std::string reason = "fail: bell" + kReplacement + " tab\t newline\n cr\r ]]> del\x7f end";
  EXPECT_EQ(got["message"], "fail: bell" + kReplacement + " tab\t newline");  // its first line
  const std::string expectation = "cases/app_exit.json:9:5: /expect/0: bad bytes " + kReplacement +
                                  " " + kReplacement + kReplacement + " " + kReplacement +
                                  kReplacement + kReplacement + " " + kReplacement +
                                  " ok \xc3\xa9 \xf0\x9f\x90\x8d";
  EXPECT_EQ(got["text"], reason + "\n" + expectation + "\n");
  EXPECT_EQ(read["cases"][1]["outcome"], "skipped");
  EXPECT_EQ(read["cases"][1]["message"], "skip (ipv6): this kernel has no IPv6");
  for (const Json& level : {read["root"], read["suites"][0]}) {
    EXPECT_EQ(level["tests"], "2");
    EXPECT_EQ(level["failures"], "1");
    EXPECT_EQ(level["errors"], "0");
    EXPECT_EQ(level["skipped"], "1");
    EXPECT_EQ(level["time"], "0.172");
  }
}

TEST(JUnitXml, UndecidedExpectationsAreSaidToBe) {
  const fs::path file =
      fs::temp_directory_path() / ("sockdrill-junit-u-" + std::to_string(::getpid()) + ".xml");
  write_junit_file({{test::failed_case()}}, file);
  const Json read = parse_with_python(file);
  fs::remove(file);
  const std::string text = read["cases"][0]["text"];
  EXPECT_NE(text.find("/expect/0: expected 1, saw 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("/expect/1: undecided: no observation fell in its window\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace sockdrill::reports
