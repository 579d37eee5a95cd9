// libpcap's functions, loaded when a run first captures packets (--pcap, doctor), not at every start.
#include "harness/observe/pcap_library.hpp"

#include "common/lazy_library.hpp"

namespace sockdrill {

const PcapLibrary& pcap_library() {
  // SOCKDRILL_PCAP_SONAME: read from the library at configure time (cmake/SockdrillSoname.cmake).
  static LazyLibrary library(SOCKDRILL_PCAP_SONAME);
#define SOCKDRILL_PCAP_FUNCTION(name) library.resolve<decltype(::pcap_##name)>("pcap_" #name)
  static const PcapLibrary functions{
      SOCKDRILL_PCAP_FUNCTION(create),          SOCKDRILL_PCAP_FUNCTION(close),
      SOCKDRILL_PCAP_FUNCTION(set_snaplen),     SOCKDRILL_PCAP_FUNCTION(set_timeout),
      SOCKDRILL_PCAP_FUNCTION(set_immediate_mode), SOCKDRILL_PCAP_FUNCTION(set_buffer_size),
      SOCKDRILL_PCAP_FUNCTION(activate),        SOCKDRILL_PCAP_FUNCTION(statustostr),
      SOCKDRILL_PCAP_FUNCTION(geterr),          SOCKDRILL_PCAP_FUNCTION(setnonblock),
      SOCKDRILL_PCAP_FUNCTION(get_selectable_fd), SOCKDRILL_PCAP_FUNCTION(dispatch),
      SOCKDRILL_PCAP_FUNCTION(stats),           SOCKDRILL_PCAP_FUNCTION(lib_version),
      SOCKDRILL_PCAP_FUNCTION(dump_fopen),      SOCKDRILL_PCAP_FUNCTION(dump),
      SOCKDRILL_PCAP_FUNCTION(dump_flush),      SOCKDRILL_PCAP_FUNCTION(dump_close),
  };
#undef SOCKDRILL_PCAP_FUNCTION
  return functions;
}

}  // namespace sockdrill
