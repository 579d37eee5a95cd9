// libpcap's functions, loaded when a run first captures packets (--pcap, doctor), not at every start.
#pragma once
#include <pcap/pcap.h>

namespace sockdrill {

struct PcapLibrary {
  decltype(::pcap_create)* create;
  decltype(::pcap_close)* close;
  decltype(::pcap_set_snaplen)* set_snaplen;
  decltype(::pcap_set_timeout)* set_timeout;
  decltype(::pcap_set_immediate_mode)* set_immediate_mode;
  decltype(::pcap_set_buffer_size)* set_buffer_size;
  decltype(::pcap_activate)* activate;
  decltype(::pcap_statustostr)* statustostr;
  decltype(::pcap_geterr)* geterr;
  decltype(::pcap_setnonblock)* setnonblock;
  decltype(::pcap_get_selectable_fd)* get_selectable_fd;
  decltype(::pcap_dispatch)* dispatch;
  decltype(::pcap_stats)* stats;
  decltype(::pcap_lib_version)* lib_version;
  decltype(::pcap_dump_fopen)* dump_fopen;
  decltype(::pcap_dump)* dump;
  decltype(::pcap_dump_flush)* dump_flush;
  decltype(::pcap_dump_close)* dump_close;
};

// Loads the library the build found (its soname) once; throws LibraryUnavailable when it cannot.
const PcapLibrary& pcap_library();

}  // namespace sockdrill
