// A pcap file that takes packets up to a size limit, then counts the packets it leaves out.
#include "harness/observe/capture_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "harness/observe/pcap_library.hpp"

namespace sockdrill {

CaptureFile::CaptureFile(pcap_t* source, const std::filesystem::path& path, std::uint64_t limit_bytes)
    : path_(path), limit_(limit_bytes) {
  // "e": close-on-exec, so no peer or program under test inherits the file.
  std::FILE* file = std::fopen(path.c_str(), "wbe");
  if (!file)
    throw std::runtime_error("cannot create the capture file " + path.string() + ": " +
                             std::strerror(errno));
  // From here on libpcap owns `file`: it closes it itself when it fails to write the header.
  dumper_ = pcap_library().dump_fopen(source, file);
  if (!dumper_)
    throw std::runtime_error("cannot write the capture file " + path.string() + ": " +
                             pcap_library().geterr(source));
}

CaptureFile::~CaptureFile() {
  if (dumper_) pcap_library().dump_close(dumper_);
}

void CaptureFile::add(const pcap_pkthdr& header, const unsigned char* bytes) {
  const std::uint64_t size = kRecordHeaderBytes + header.caplen;
  // Once one packet is left out, so are all later ones: the file never has a hole in time.
  if (left_out_ > 0 || bytes_ + size > limit_) {
    ++left_out_;
    return;
  }
  pcap_library().dump(reinterpret_cast<u_char*>(dumper_), &header, bytes);
  bytes_ += size;
  ++written_;
}

void CaptureFile::close() {
  if (!dumper_) return;
  const bool flushed = pcap_library().dump_flush(dumper_) == 0;
  pcap_library().dump_close(dumper_);
  dumper_ = nullptr;
  if (!flushed) throw std::runtime_error("cannot write the capture file " + path_.string());
}

}  // namespace sockdrill
