// Runs the chosen cases, each in a runner of its own, and gathers their records.
#include "harness/cli/run_queue.hpp"

#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <sstream>

#include "harness/cli/runner_process.hpp"
#include "harness/cli/terminal.hpp"
#include "reports/writers.hpp"

namespace sockdrill {

reports::RunRecord run_cases(const std::vector<CaseSpec>& specs, const RunPlan& plan) {
  boost::asio::io_context ctx;
  boost::asio::signal_set signals(ctx, SIGINT, SIGTERM, SIGHUP);
  reports::RunRecord run;
  for (const auto& spec : specs) {
    if (g_interrupted) break;
    RunOptions options{plan.peer_program, spec.name, std::nullopt};
    if (plan.pcap_dir) options.pcap_file = *plan.pcap_dir / (spec.name + ".pcap");
    run.cases.push_back(run_in_runner(ctx, signals, spec, options));
    std::ostringstream line;
    reports::write_case_result(line, run.cases.back(), plan.color);
    write_terminal(line.str());
  }
  return run;
}

}  // namespace sockdrill
