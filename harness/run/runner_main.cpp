// `sockdrill __case`: the runner process of one case, inside the case's namespaces.
#include "harness/run/runner_main.hpp"

#include <signal.h>

#include <iostream>

#include "harness/case/case_parser.hpp"
#include "harness/run/command_line.hpp"
#include "harness/run/isolation.hpp"
#include "harness/run/runner.hpp"
#include "reports/record_json.hpp"

namespace sockdrill {

namespace {
void print(const reports::CaseRecord& record) {
  std::cout << reports::to_json(record).dump(-1, ' ', false, Json::error_handler_t::replace) << std::endl;
}
}  // namespace

int runner_main(const std::vector<std::string>& args) {
  if (args.size() < 3) {
    std::cerr << "sockdrill: internal runner mode takes FILE NAME PEER_PROGRAM [NAME=VALUE...]\n";
    return kExitUsage;
  }
  Defines defines;
  for (std::size_t i = 3; i < args.size(); ++i)
    if (!add_define(args[i], defines, kRunnerMode)) return kExitUsage;
  try {
    IsolationInfo iso = enter_case_namespaces();  // from here on we are PID 1 of the case
    ::signal(SIGPIPE, SIG_IGN);
    prepare_case_namespace(iso);
    ParseResult parsed = parse_case_file(args[0], defines);
    if (!parsed.spec) {
      for (auto& e : parsed.errors) std::cerr << e.message << "\n";
      return kExitUsage;
    }
    print(run_case(*parsed.spec, RunOptions{args[2], args[1]}, iso));
    return kExitOk;
  } catch (const std::exception& e) {
    print(reports::error_case(args[1], args[0], reports::reason_code::harness,
                              std::string("harness error before the case could start: ") + e.what()));
    return 3;
  }
}

}  // namespace sockdrill
