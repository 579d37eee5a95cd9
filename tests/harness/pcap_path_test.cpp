// Where --pcap DIR puts each case's capture: subfolders for '/', never outside DIR.
#include "harness/cli/pcap_path.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using sockdrill::pcap_path;
using sockdrill::prepare_pcap_folders;

TEST(PcapPath, ACaseNameIsItsPathUnderTheFolder) {
  EXPECT_EQ(pcap_path("out", "linger_zero"), fs::path("out/linger_zero.pcap"));
  EXPECT_EQ(pcap_path("out", "reset/linger_zero"), fs::path("out/reset/linger_zero.pcap"));
  EXPECT_EQ(pcap_path("/tmp/p", "a/b/c.d"), fs::path("/tmp/p/a/b/c.d.pcap"));
}

TEST(PcapPath, ANameGivenAsAPathStaysInsideTheFolder) {
  EXPECT_EQ(pcap_path("out", "/tmp/cases/x"), fs::path("out/tmp/cases/x.pcap"));
  EXPECT_EQ(pcap_path("out", "../cases//./x"), fs::path("out/__/cases/x.pcap"));
  EXPECT_EQ(pcap_path("out", ".."), fs::path("out/__.pcap"));
  EXPECT_EQ(pcap_path("out", ""), fs::path("out/case.pcap"));
}

TEST(PcapPath, EveryCasesFolderIsMadeBeforeTheRun) {
  const fs::path dir = fs::temp_directory_path() / ("pcap-path-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  EXPECT_EQ(prepare_pcap_folders(dir, {"reset/linger_zero", "syn/dropped/twice", "top"}), std::nullopt);
  EXPECT_TRUE(fs::is_directory(dir / "reset"));
  EXPECT_TRUE(fs::is_directory(dir / "syn" / "dropped"));
  fs::remove_all(dir);
}

TEST(PcapPath, ASubfolderThatCannotBeMadeIsNamedWithWhy) {
  const fs::path dir = fs::temp_directory_path() / ("pcap-path-file-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::FILE* f = std::fopen((dir / "a").c_str(), "w");  // a file where case a/b needs a folder
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  auto problem = prepare_pcap_folders(dir, {"a/b"});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->rfind((dir / "a").string() + ": cannot create the folder: ", 0), 0u) << *problem;
  EXPECT_EQ(prepare_pcap_folders("", {"x"}), "an empty path");
  fs::remove_all(dir);
}
