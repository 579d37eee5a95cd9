// A polite stop of a running case (Ctrl-C reaching the controller): the runner ends the case and
// still writes its record, instead of dying with everything it saw.
#pragma once

namespace sockdrill {

// Makes SIGTERM, SIGINT and SIGHUP only note the request (without restarting system calls, so
// a wait returns at once). Call in the runner before the case starts.
void catch_stop_requests();
// The signal that asked to stop, or 0.
int stop_requested();

}  // namespace sockdrill
