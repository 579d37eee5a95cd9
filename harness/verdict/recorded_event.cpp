// One event of the case as the runner keeps it, and its one conversion to the report's form.
#include "harness/verdict/recorded_event.hpp"

namespace sockdrill {

reports::EventRecord event_record(const RecordedEvent& e, const std::string& peer_name) {
  reports::EventRecord r;
  r.t_ms = static_cast<double>(e.t_us) / 1000.0;
  r.peer = peer_name;
  r.kind = e.kind;
  if (e.conn >= 0) r.conn = e.conn;
  if (e.step >= 0) r.step = e.step;
  if (!e.errno_name.empty()) r.errno_name = e.errno_name;
  r.code = e.code;
  if (e.kind == "sent" || e.kind == "received" || e.bytes != 0) r.bytes = e.bytes;
  r.local = e.local;
  r.remote = e.remote;
  r.detail = e.detail;
  return r;
}

}  // namespace sockdrill
