// The capture file's size limit: it takes packets while they fit, then none, and says how many.
#include "harness/observe/capture_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

namespace fs = std::filesystem;
using sockdrill::CaptureFile;

namespace {

struct DeadSource {
  pcap_t* pcap = ::pcap_open_dead(DLT_EN10MB, 256);
  ~DeadSource() { ::pcap_close(pcap); }
};

fs::path temp_file(const char* name) {
  return fs::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()) + ".pcap");
}

std::vector<bpf_u_int32> read_back(const fs::path& file) {
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t* in = ::pcap_open_offline(file.c_str(), errbuf);
  EXPECT_NE(in, nullptr) << errbuf;
  std::vector<bpf_u_int32> lengths;
  if (!in) return lengths;
  pcap_pkthdr* header;
  const u_char* bytes;
  while (::pcap_next_ex(in, &header, &bytes) == 1) lengths.push_back(header->caplen);
  ::pcap_close(in);
  return lengths;
}

void add(CaptureFile& file, bpf_u_int32 length) {
  std::vector<unsigned char> bytes(length, 0xab);
  pcap_pkthdr header{};
  header.caplen = header.len = length;
  file.add(header, bytes.data());
}

}  // namespace

TEST(CaptureFile, StopsTakingPacketsAtItsLimitAndCountsTheRest) {
  DeadSource source;
  const fs::path path = temp_file("capture-limit");
  // Room for the header and two 60-byte packets, not a third.
  const std::uint64_t limit = CaptureFile::kFileHeaderBytes + 2 * (CaptureFile::kRecordHeaderBytes + 60) + 50;
  CaptureFile file(source.pcap, path, limit);
  for (int i = 0; i < 5; ++i) add(file, 60);
  add(file, 10);  // would fit, but a file with a hole in time would mislead: left out too
  file.close();
  EXPECT_EQ(file.packets_written(), 2u);
  EXPECT_EQ(file.packets_left_out(), 4u);
  EXPECT_EQ(fs::file_size(path), CaptureFile::kFileHeaderBytes + 2 * (CaptureFile::kRecordHeaderBytes + 60));
  EXPECT_LE(fs::file_size(path), limit);
  EXPECT_EQ(read_back(path), (std::vector<bpf_u_int32>{60, 60}));
  fs::remove(path);
}

TEST(CaptureFile, UnderItsLimitTakesEveryPacket) {
  DeadSource source;
  const fs::path path = temp_file("capture-all");
  CaptureFile file(source.pcap, path, 1 << 20);
  for (bpf_u_int32 length : {54, 74, 256}) add(file, length);
  file.close();
  EXPECT_EQ(file.packets_left_out(), 0u);
  EXPECT_EQ(file.bytes(), fs::file_size(path));
  EXPECT_EQ(read_back(path), (std::vector<bpf_u_int32>{54, 74, 256}));
  fs::remove(path);
}

TEST(CaptureFile, AFileThatCannotBeCreatedSaysWhichAndWhy) {
  DeadSource source;
  try {
    CaptureFile file(source.pcap, "/nonexistent-folder/x.pcap", 1 << 20);
    FAIL() << "expected a throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/x.pcap"), std::string::npos) << e.what();
  }
}
