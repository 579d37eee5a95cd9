// The case namespace's loopback traffic written to a pcap file (--pcap), read on a thread of its own.
#pragma once
#include <pcap/pcap.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "harness/observe/capture_file.hpp"

namespace sockdrill {

class PacketCapture {
 public:
  // Each packet's first 256 bytes: every Ethernet, IPv6 and TCP header whole (14 + 40 + 60),
  // the start of the payload, and a bulk transfer costs a file ~256/65536 of its bytes.
  static constexpr int kSnapLength = 256;
  // Past this the file takes no more packets and the case's record says so.
  static constexpr std::uint64_t kDefaultLimitBytes = 64ull << 20;

  // Opens "lo" of the calling thread's network namespace (CAP_NET_RAW there: root, or root of
  // the user namespace that owns it) and creates `file`, then starts reading. Throws
  // std::runtime_error saying what could not be opened and why.
  explicit PacketCapture(const std::filesystem::path& file,
                         std::uint64_t limit_bytes = kDefaultLimitBytes);
  ~PacketCapture();
  PacketCapture(const PacketCapture&) = delete;
  PacketCapture& operator=(const PacketCapture&) = delete;

  // Stops reading after taking every packet the kernel has queued, closes the file, and
  // returns what a person should know about it (the limit reached, packets the kernel
  // dropped, a read or write error); empty when the file holds every packet. Once only.
  std::vector<std::string> finish();

  const std::filesystem::path& file() const { return file_; }

 private:
  void read_until_stopped();
  bool take_queued();  // false after a read error

  std::filesystem::path file_;
  pcap_t* pcap_ = nullptr;
  std::unique_ptr<CaptureFile> out_;
  int stop_fd_ = -1;  // an eventfd: written once by finish()
  std::thread reader_;
  std::string read_error_;  // written by the reader only, read after it is joined
  bool finished_ = false;
};

}  // namespace sockdrill
