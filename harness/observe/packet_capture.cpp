// The case namespace's loopback traffic written to a pcap file (--pcap), read on a thread of its own.
#include "harness/observe/packet_capture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "harness/observe/pcap_library.hpp"

namespace sockdrill {
namespace {

std::string mib(std::uint64_t bytes) {
  return bytes % (1u << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
                                 : std::to_string(bytes) + " bytes";
}

}  // namespace

PacketCapture::PacketCapture(const std::filesystem::path& file, std::uint64_t limit_bytes)
    : file_(file) {
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_ = pcap_library().create("lo", errbuf);
  if (!pcap_) throw std::runtime_error(std::string("cannot open loopback for capture: ") + errbuf);
  auto fail = [&](const std::string& what) {
    std::string message = what;
    pcap_library().close(pcap_);
    pcap_ = nullptr;
    throw std::runtime_error(message);
  };
  pcap_library().set_snaplen(pcap_, kSnapLength);
  pcap_library().set_immediate_mode(pcap_, 1);  // each packet as it comes, not in kernel blocks
  pcap_library().set_buffer_size(pcap_, 4 << 20);  // the kernel's ring: bursts while the file is written
  const int activated = pcap_library().activate(pcap_);
  if (activated < 0)
    fail("cannot start capturing on loopback: " +
         std::string(activated == PCAP_ERROR_PERM_DENIED
                         ? "permission denied (capturing needs CAP_NET_RAW in the case's namespace)"
                         : pcap_library().statustostr(activated)) +
         (activated == PCAP_ERROR ? std::string(": ") + pcap_library().geterr(pcap_) : ""));
  if (pcap_library().setnonblock(pcap_, 1, errbuf) != 0)
    fail(std::string("cannot make the loopback capture non-blocking: ") + errbuf);
  // Peers and programs under test are started from this process: none may inherit the socket.
  const int fd = pcap_library().get_selectable_fd(pcap_);
  if (fd < 0 || ::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
    fail("cannot mark the loopback capture's socket close-on-exec");
  try {
    out_ = std::make_unique<CaptureFile>(pcap_, file, limit_bytes);
  } catch (const std::exception& e) {
    fail(e.what());
  }
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) {
    out_.reset();
    fail(std::string("eventfd: ") + std::strerror(errno));
  }
  // The reader takes no signal: Ctrl-C and SIGCHLD must reach the runner's own thread, whose
  // ppoll() they interrupt.
  sigset_t all, before;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &before);
  reader_ = std::thread([this] { read_until_stopped(); });
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

PacketCapture::~PacketCapture() {
  if (!finished_) finish();
  if (stop_fd_ >= 0) ::close(stop_fd_);
  if (pcap_) pcap_library().close(pcap_);
}

bool PacketCapture::take_queued() {
  auto take = [](u_char* self, const pcap_pkthdr* header, const u_char* bytes) {
    reinterpret_cast<CaptureFile*>(self)->add(*header, bytes);
  };
  for (;;) {
    const int n = pcap_library().dispatch(pcap_, -1, take, reinterpret_cast<u_char*>(out_.get()));
    if (n == 0) return true;
    if (n < 0) {
      read_error_ = std::string("reading the loopback capture failed: ") + pcap_library().geterr(pcap_);
      return false;
    }
  }
}

void PacketCapture::read_until_stopped() {
  pollfd fds[2] = {{pcap_library().get_selectable_fd(pcap_), POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  for (;;) {
    // The timeout only guards against a wake-up the ring did not signal.
    ::poll(fds, 2, 100);
    if (!take_queued()) return;
    if (fds[1].revents & POLLIN) return;  // taken just above: everything queued before the stop
  }
}

std::vector<std::string> PacketCapture::finish() {
  finished_ = true;
  const std::uint64_t one = 1;
  if (::write(stop_fd_, &one, sizeof one) < 0) {
    // Cannot happen for an eventfd written once; the reader then stops at its next timeout.
  }
  if (reader_.joinable()) reader_.join();
  std::vector<std::string> warnings;
  const std::string where = "the packet capture " + file_.string();
  if (!read_error_.empty()) warnings.push_back(where + ": " + read_error_);
  if (out_->packets_left_out() > 0)
    warnings.push_back(where + " reached its size limit of " + mib(out_->limit_bytes()) + " after " +
                       std::to_string(out_->packets_written()) + " packets: the " +
                       std::to_string(out_->packets_left_out()) + " later ones are not in it");
  pcap_stat stats{};
  if (pcap_library().stats(pcap_, &stats) == 0 && stats.ps_drop > 0)
    warnings.push_back(where + ": the kernel dropped " + std::to_string(stats.ps_drop) +
                       " packets before they could be read (its capture buffer was full)");
  try {
    out_->close();
  } catch (const std::exception& e) {
    warnings.push_back(e.what());
  }
  return warnings;
}

}  // namespace sockdrill
