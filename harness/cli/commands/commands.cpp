// The table of `sockdrill`'s subcommands: one row each, in --help order; each in its own file.
#include <array>

#include "harness/cli/commands/command.hpp"

namespace sockdrill {

CommandAction define_run(CLI::App& app);    // run.cpp
CommandAction define_check(CLI::App& app);  // check.cpp
CommandAction define_list(CLI::App& app);   // list.cpp
CommandAction define_doctor(CLI::App& app); // doctor.cpp
CommandAction define_guard(CLI::App& app);  // guard.cpp

namespace {

const std::array kCommands{
    Command{"run",
            "run case files and folders of them (default: cases/); exit 0 when no case fails or "
            "errors, 1 when any does, 2 for an invalid file or usage",
            define_run},
    Command{"check", "validate case files only; exit 0 or 2", define_check},
    Command{"list", "print each case's name and the first line of its about (its first sentence when "
                    "long); exit 0, or 2 for an invalid file or usage",
            define_list},
    Command{"doctor",
            "say which mechanisms this machine and kernel give, and what a case needing a missing "
            "one gets; exit 0 when the case library can run, 1 otherwise",
            define_doctor},
    Command{"guard",
            "run COMMAND (after --) and report the TCP sockets its processes leak: CLOSE_WAIT "
            "past the settle time, sockets left behind by processes that outlive it; exit with "
            "COMMAND's status when it failed, else 0, or --exit-code (1) when something leaked",
            define_guard},
};

}  // namespace

std::span<const Command> commands() {
  return kCommands;
}

}  // namespace sockdrill
