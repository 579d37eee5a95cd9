// One subcommand of `sockdrill` (run, check, list, ...): its options and what it does.
#pragma once
#include <functional>
#include <span>

namespace CLI {
class App;
}

namespace sockdrill {

// What a subcommand does once its options are parsed: returns the exit status.
using CommandAction = std::function<int()>;

struct Command {
  const char* name;   // "run": what is typed after `sockdrill`
  const char* about;  // one line for --help: what it does and its exit statuses
  // Adds the command's options and positionals to `app` (its own CLI11 subcommand), bound to
  // state the returned action owns; the action runs only when this command was chosen.
  CommandAction (*define)(CLI::App& app);
};

// commands.cpp: every subcommand, in --help order.
std::span<const Command> commands();

}  // namespace sockdrill
