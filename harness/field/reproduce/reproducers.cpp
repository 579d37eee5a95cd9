// The table of reproduced cases: one generator per finding kind.
#include <array>

#include "harness/field/reproduce/reproduce.hpp"

namespace sockdrill::field {

Reproduction reproduce_forgotten_close(const ExplainInput&, const Finding&);    // forgotten_close_case.cpp
Reproduction reproduce_stopped_reading(const ExplainInput&, const Finding&);    // stopped_reading_case.cpp
Reproduction reproduce_accept_queue_full(const ExplainInput&, const Finding&);  // accept_queue_case.cpp
Reproduction reproduce_fin_wait2_pile(const ExplainInput&, const Finding&);     // fin_wait2_case.cpp
Reproduction reproduce_time_wait_pile(const ExplainInput&, const Finding&);     // time_wait_case.cpp
Reproduction reproduce_syn_backlog(const ExplainInput&, const Finding&);        // syn_backlog_case.cpp
Reproduction reproduce_reset_storm(const ExplainInput&, const Finding&);        // reset_storm_case.cpp
Reproduction reproduce_orphans(const ExplainInput&, const Finding&);            // orphans_case.cpp

namespace {

const std::array kReproducers{
    ReproducerKind{"forgotten_close", reproduce_forgotten_close},
    ReproducerKind{"stopped_reading", reproduce_stopped_reading},
    ReproducerKind{"accept_queue_full", reproduce_accept_queue_full},
    ReproducerKind{"fin_wait2_pile", reproduce_fin_wait2_pile},
    ReproducerKind{"time_wait_pile", reproduce_time_wait_pile},
    ReproducerKind{"syn_backlog", reproduce_syn_backlog},
    ReproducerKind{"reset_storm", reproduce_reset_storm},
    ReproducerKind{"orphans", reproduce_orphans},
};

}  // namespace

std::span<const ReproducerKind> reproducers() { return kReproducers; }

std::optional<Reproduction> reproduce(const ExplainInput& input, const Finding& finding, std::string& why_not) {
  for (const ReproducerKind& r : kReproducers)
    if (finding.kind == r.finding) return r.make(input, finding);
  why_not = "no case generator for " + finding.kind + " yet; " + finding.example_case + " shows the mechanism";
  return std::nullopt;
}

}  // namespace sockdrill::field
