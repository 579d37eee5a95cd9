// One case in a runner process of its own: started, watched, stopped, its record read back.
#pragma once
#include <csignal>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "harness/case/case_model.hpp"
#include "harness/run/runner.hpp"
#include "reports/record.hpp"

namespace sockdrill {

// The signal that stopped the run (SIGINT, SIGTERM, SIGHUP), 0 while none came.
extern volatile std::sig_atomic_t g_interrupted;

// Runs `spec` in a runner process (a fork of this one, harness/run/runner_main.hpp) and returns
// its record; never throws and never loses the case: a runner that could not start, died or
// said nothing becomes an `error` record with the reason (and what it wrote on stderr). The
// runner dies with this process, even by SIGKILL; `signals` stops it and marks the case
// interrupted; past timeout_ms + 15 s it is killed.
reports::CaseRecord run_in_runner(boost::asio::io_context& ctx, boost::asio::signal_set& signals,
                                  const CaseSpec& spec, const RunOptions& options);

}  // namespace sockdrill
