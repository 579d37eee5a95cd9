// Doctor probe: can libpcap capture on a case's loopback (what --pcap records)?
#include "common/lazy_library.hpp"
#include "harness/cli/doctor/probe.hpp"
#include "harness/observe/pcap_library.hpp"

namespace sockdrill::doctor {

ProbeResult probe_pcap_loopback(const ProbeContext&) {
  return in_case_namespaces([](const IsolationInfo&) {
    const PcapLibrary* pcap = nullptr;
    try {
      pcap = &pcap_library();
    } catch (const LibraryUnavailable& e) {
      return ProbeResult{false, e.what()};
    }
    char error[PCAP_ERRBUF_SIZE] = {};
    pcap_t* capture = pcap->create("lo", error);
    if (capture == nullptr) return ProbeResult{false, std::string("pcap_create(\"lo\"): ") + error};
    pcap->set_snaplen(capture, 256);
    pcap->set_timeout(capture, 100);
    const int status = pcap->activate(capture);
    ProbeResult r{true, std::string(pcap->lib_version()) + " opened \"lo\" in a case's namespace"};
    if (status < 0)
      r = {false, std::string("pcap_activate(\"lo\"): ") + pcap->statustostr(status) + ": " + pcap->geterr(capture)};
    pcap->close(capture);
    return r;
  });
}

}  // namespace sockdrill::doctor
