// The loopback capture of a namespace: a connection's SYN, FIN and RST in the file, the size limit.
#include "harness/observe/packet_capture.hpp"

#include <gtest/gtest.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <net/ethernet.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "tests/observe/netns.hpp"
#include "tests/observe/test_sockets.hpp"

namespace fs = std::filesystem;
namespace st = sockdrill::testing;
using sockdrill::PacketCapture;

namespace {

struct Flags {
  int syn = 0, fin = 0, rst = 0, packets = 0;
};

// The TCP flags of every IPv4 packet in `file` (Ethernet framing, as libpcap gives loopback).
Flags flags_in(const fs::path& file) {
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t* in = ::pcap_open_offline(file.c_str(), errbuf);
  EXPECT_NE(in, nullptr) << errbuf;
  Flags f;
  if (!in) return f;
  EXPECT_EQ(::pcap_datalink(in), DLT_EN10MB);
  pcap_pkthdr* header;
  const u_char* bytes;
  while (::pcap_next_ex(in, &header, &bytes) == 1) {
    ++f.packets;
    if (header->caplen < sizeof(ether_header) + sizeof(iphdr) + sizeof(tcphdr)) continue;
    // Copied out: the IP header sits 14 bytes in, not aligned for iphdr.
    iphdr ip;
    std::memcpy(&ip, bytes + sizeof(ether_header), sizeof ip);
    if (ip.protocol != IPPROTO_TCP) continue;
    const std::size_t tcp_at = sizeof(ether_header) + ip.ihl * 4u;
    if (header->caplen < tcp_at + sizeof(tcphdr)) continue;
    tcphdr tcp;
    std::memcpy(&tcp, bytes + tcp_at, sizeof tcp);
    f.syn += tcp.syn && !tcp.ack;
    f.fin += tcp.fin;
    f.rst += tcp.rst;
  }
  ::pcap_close(in);
  return f;
}

// A connection that ends with the client's FIN and the server's abortive close (RST).
void fin_then_reset() {
  st::Fd listener = st::listen_on("127.0.0.1", 4);
  st::Fd client = st::connect_to("127.0.0.1", st::local_port(listener.get()));
  st::Fd server = st::accept_one(listener.get());
  ASSERT_EQ(::write(client.get(), "hello", 5), 5);
  ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
  char buf[16];
  while (::read(server.get(), buf, sizeof buf) > 0) {
  }
  st::set_linger_zero(server.get());
  server.reset();
}

fs::path temp_file(const char* name) {
  return fs::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()) + ".pcap");
}

class PacketCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override { st::enter_fresh_netns(); }
};

}  // namespace

TEST_F(PacketCaptureTest, HoldsTheSynFinAndResetOfAConnection) {
  const fs::path path = temp_file("capture-conn");
  PacketCapture capture(path);
  fin_then_reset();
  const std::vector<std::string> warnings = capture.finish();
  EXPECT_TRUE(warnings.empty()) << ::testing::PrintToString(warnings);
  const Flags f = flags_in(path);
  EXPECT_EQ(f.syn, 1);
  EXPECT_EQ(f.fin, 1);
  EXPECT_EQ(f.rst, 1);
  fs::remove(path);
}

TEST_F(PacketCaptureTest, PastItsLimitWritesNoMoreAndSaysSo) {
  const fs::path path = temp_file("capture-small");
  const std::uint64_t limit = 300;  // the header and a few packets of the connection's ~8
  PacketCapture capture(path, limit);
  fin_then_reset();
  const std::vector<std::string> warnings = capture.finish();
  ASSERT_EQ(warnings.size(), 1u) << ::testing::PrintToString(warnings);
  EXPECT_NE(warnings[0].find("reached its size limit of 300 bytes"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find(path.string()), std::string::npos) << warnings[0];
  EXPECT_LE(fs::file_size(path), limit);
  const Flags f = flags_in(path);
  EXPECT_GE(f.packets, 1);
  EXPECT_EQ(f.rst, 0);  // the last packet is past the limit
  fs::remove(path);
}

TEST_F(PacketCaptureTest, AFileThatCannotBeCreatedIsAnErrorNamingIt) {
  try {
    PacketCapture capture("/nonexistent-folder/case.pcap");
    FAIL() << "expected a throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/case.pcap"), std::string::npos) << e.what();
  }
}
