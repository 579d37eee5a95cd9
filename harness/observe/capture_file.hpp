// A pcap file that takes packets up to a size limit, then counts the packets it leaves out.
#pragma once
#include <pcap/pcap.h>

#include <cstdint>
#include <filesystem>

namespace sockdrill {

class CaptureFile {
 public:
  // The size of a pcap file's header and of each record's header, as the limit counts them.
  static constexpr std::uint64_t kFileHeaderBytes = 24;
  static constexpr std::uint64_t kRecordHeaderBytes = 16;

  // Opens `path` (truncated) for packets of `source`'s link type and snap length; the file
  // never grows past `limit_bytes` (its header always written). Throws std::runtime_error
  // naming the file and libpcap's reason.
  CaptureFile(pcap_t* source, const std::filesystem::path& path, std::uint64_t limit_bytes);
  ~CaptureFile();
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;

  // Writes the packet when it fits under the limit; from the first one that does not, none.
  void add(const pcap_pkthdr& header, const unsigned char* bytes);
  // Flushes and closes the file; throws std::runtime_error when the flush fails.
  void close();

  std::uint64_t bytes() const { return bytes_; }  // what the file holds (or will, once flushed)
  std::uint64_t packets_written() const { return written_; }
  std::uint64_t packets_left_out() const { return left_out_; }
  std::uint64_t limit_bytes() const { return limit_; }

 private:
  std::filesystem::path path_;
  pcap_dumper_t* dumper_ = nullptr;
  std::uint64_t limit_;
  std::uint64_t bytes_ = kFileHeaderBytes;
  std::uint64_t written_ = 0;
  std::uint64_t left_out_ = 0;
};

}  // namespace sockdrill
