// guard's --junit FILE: a testcase per process that held TCP sockets, and one for the exit status.
#include <map>

#include "harness/guard/guard_report.hpp"
#include "reports/shared_text.hpp"
#include "reports/xml_text.hpp"

namespace sockdrill::guard {
namespace {

using reports::XmlPlace;
using reports::xml_escape;

std::string attr(std::string_view t) { return xml_escape(t, XmlPlace::attribute); }
std::string seconds(double ms) { return reports::fixed_decimals(ms / 1000.0, 3); }

struct Testcase {
  std::string name;
  std::string failure_message;  // empty: passed
  std::string failure_body;
  std::string failure_type = "leak";
};

}  // namespace

void write_guard_junit(std::ostream& out, const GuardResult& r) {
  std::string command;
  for (const std::string& w : r.command) command += (command.empty() ? "" : " ") + w;
  std::vector<Testcase> cases;
  Testcase exit{"exit status of " + command, {}, {}, "exit_status"};
  if (r.error) {
    exit.failure_message = "guard could not watch the command: " + *r.error;
    exit.failure_type = "error";
  } else if (r.exit_code != 0) {
    exit.failure_message = "the command exited with status " + std::to_string(r.exit_code);
  }
  cases.push_back(exit);
  // Processes in the order they were first seen; a leak's holder is one of them.
  std::map<pid_t, std::vector<const SocketLeak*>> leaks_of;
  for (const SocketLeak& l : r.leaks) leaks_of[l.pid].push_back(&l);
  for (const WatchedProcess& p : r.processes) {
    auto it = leaks_of.find(p.pid);
    if (!p.held_tcp && it == leaks_of.end()) continue;
    Testcase t{"pid " + std::to_string(p.pid) + ": " + p.cmdline, {}, {}, "leak"};
    if (it != leaks_of.end()) {
      t.failure_message = std::to_string(it->second.size()) + " leaked socket(s)";
      for (const SocketLeak* l : it->second) t.failure_body += describe_leak(*l);
      leaks_of.erase(it);
    }
    cases.push_back(std::move(t));
  }
  std::size_t failures = 0;
  for (const Testcase& t : cases) failures += !t.failure_message.empty();
  const std::string counts = "tests=\"" + std::to_string(cases.size()) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"0\" skipped=\"0\" time=\"" +
                             seconds(r.duration_ms) + "\"";
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sockdrill guard\" "
      << counts << ">\n  <testsuite name=\"" << attr("guard " + command) << "\" " << counts
      << ">\n";
  for (const Testcase& t : cases) {
    out << "    <testcase classname=\"sockdrill.guard\" name=\"" << attr(t.name)
        << "\" time=\"0.000\"";
    if (t.failure_message.empty()) {
      out << "/>\n";
      continue;
    }
    out << ">\n      <failure message=\"" << attr(t.failure_message) << "\" type=\"" << t.failure_type << "\">"
        << xml_escape(t.failure_body, XmlPlace::content) << "</failure>\n    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace sockdrill::guard
