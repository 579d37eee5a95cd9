// The runner process of one case: it enters the case's namespaces, runs it, writes its record.
#include "harness/run/runner_main.hpp"

#include <signal.h>
#include <unistd.h>

#include "common/json.hpp"
#include "common/utf8.hpp"
#include "harness/run/isolation.hpp"
#include "harness/run/runner.hpp"
#include "harness/run/stop_request.hpp"
#include "harness/run/tcp_table_size.hpp"
#include "reports/record_json.hpp"

namespace sockdrill {

namespace {
// The record on stdout with one write per chunk, no stdio buffer shared with the controller.
void print(const reports::CaseRecord& record) {
  std::string text = reports::to_json(record).dump(-1, ' ', false, Json::error_handler_t::replace);
  text += "\n";
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n > 0) done += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR) continue;
    else return;
  }
}
}  // namespace

int runner_main(const CaseSpec& spec, const RunOptions& options) {
  try {
    // From here on we are PID 1 of the case.
    IsolationInfo iso = enter_case_namespaces(tcp_table_buckets(spec));
    ::signal(SIGPIPE, SIG_IGN);
    catch_stop_requests();
    prepare_case_namespace(iso);
    print(run_case(spec, options, iso));
    return 0;
  } catch (const std::exception& e) {
    print(reports::error_case(spec.name, valid_utf8(spec.file.string()), reports::reason_code::harness,
                              std::string("harness error before the case could start: ") + e.what()));
    return 3;
  }
}

}  // namespace sockdrill
