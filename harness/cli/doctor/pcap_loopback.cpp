// Doctor probe: can libpcap capture on a case's loopback (what --pcap records)?
#include <pcap/pcap.h>

#include "harness/cli/doctor/probe.hpp"

namespace sockdrill::doctor {

ProbeResult probe_pcap_loopback(const ProbeContext&) {
  return in_case_namespaces([](const IsolationInfo&) {
    char error[PCAP_ERRBUF_SIZE] = {};
    pcap_t* capture = ::pcap_create("lo", error);
    if (capture == nullptr) return ProbeResult{false, std::string("pcap_create(\"lo\"): ") + error};
    ::pcap_set_snaplen(capture, 256);
    ::pcap_set_timeout(capture, 100);
    const int status = ::pcap_activate(capture);
    ProbeResult r{true, std::string(::pcap_lib_version()) + " opened \"lo\" in a case's namespace"};
    if (status < 0)
      r = {false, std::string("pcap_activate(\"lo\"): ") + ::pcap_statustostr(status) + ": " + ::pcap_geterr(capture)};
    ::pcap_close(capture);
    return r;
  });
}

}  // namespace sockdrill::doctor
