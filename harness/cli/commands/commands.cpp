// The table of `sockdrill`'s subcommands: one row each, in --help order; each in its own file.
#include <array>

#include "harness/cli/commands/command.hpp"

namespace sockdrill {

CommandAction define_run(CLI::App& app);    // run.cpp
CommandAction define_check(CLI::App& app);  // check.cpp
CommandAction define_list(CLI::App& app);   // list.cpp
CommandAction define_doctor(CLI::App& app); // doctor.cpp
CommandAction define_guard(CLI::App& app);  // guard.cpp
CommandAction define_snapshot(CLI::App& app);  // snapshot.cpp
CommandAction define_explain(CLI::App& app);   // explain.cpp
CommandAction define_reproduce(CLI::App& app); // reproduce.cpp
CommandAction define_watch(CLI::App& app);     // watch.cpp

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
    Command{"snapshot",
            "print every TCP socket of this host's (or --netns's) network namespace, grouped by "
            "process and state, with queues, listeners, counters and sysctls; exit 0, 1 when the "
            "kernel's table cannot be read",
            define_snapshot},
    Command{"watch",
            "take a snapshot every --interval-ms for --duration-s, print what changed per process "
            "and state and what grew per minute, and keep it (--record JSON, --html timeline); exit "
            "0, 1 when the kernel's table cannot be read",
            define_watch},
    Command{"explain",
            "name the likely causes of what a snapshot (or --live) shows: forgotten close, unread "
            "data, full accept queues, piles of FIN_WAIT2, TIME_WAIT, SYN_RECV or orphans, reset "
            "storms; exit 0 when nothing is found, 1 when something is, 2 for usage",
            define_explain},
    Command{"reproduce",
            "write a case that shows one of explain's findings at the size the snapshot saw, with a "
            "stand-in program to replace by yours; exit 0, 1 when there is nothing to reproduce, 2 "
            "for usage",
            define_reproduce},
};

}  // namespace

std::span<const Command> commands() {
  return kCommands;
}

}  // namespace sockdrill
