// The command line's shared pieces: usage, --define, and where sockdrill-peer is.
#include "harness/cli/command_line.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "reports/writers.hpp"

namespace fs = std::filesystem;

namespace sockdrill {

// The options of the report writers come from their table (reports/writers.hpp).
std::string usage_text() {
  std::string writer_flags, writer_help;
  for (const reports::Writer& w : reports::file_writers()) {
    std::string flag = std::string(w.option) + " ";
    flag += reports::placeholder(w.destination);
    writer_flags += "[" + flag + "] ";
    flag.resize(std::max<std::size_t>(flag.size() + 1, 15), ' ');
    writer_help += "  " + flag + std::string(w.writes) + "\n";
  }
  return "usage: sockdrill run " + writer_flags + "[--pcap DIR] [--define NAME=VALUE]... [PATH...]\n"
         "       sockdrill check [--define NAME=VALUE]... PATH...\n"
         "       sockdrill doctor\n"
         "\n"
         "  run    run case files and folders of them (default: cases/); exit 0 when no case\n"
         "         fails or errors, 1 when any does, 2 for an invalid file or usage\n"
         "  check  validate case files only; exit 0 or 2\n"
         "  doctor say which mechanisms (namespaces, ids, nftables, IPv6, pcap) this machine gives\n"
         "         cases; exit 0 when the case library has all it needs, 1 otherwise\n"
         "\n" +
         writer_help +
         "  --pcap DIR     DIR/NAME.pcap: each case's loopback packets (256 bytes each, 64 MiB at most)\n"
         "  --peer PATH    the sockdrill-peer program (default: next to sockdrill, or $SOCKDRILL_PEER)\n"
         "  --jobs N       run N cases at once (default: the number of cores)\n"
         "  --repeat N     run each case N times; a case whose outcome changes is flaky (fails the run)\n"
         "  --define NAME=VALUE\n"
         "                 {NAME} in a case's argv, env and connect.to is VALUE (a program you built)\n"
         "\n"
         "The case format: docs/case-format.md (installed: share/doc/sockdrill/). Every case runs in\n"
         "network namespaces of its own, made through a user namespace when not root.\n";
}

bool add_define(const std::string& text, Defines& defines, const char* command) {
  auto eq = text.find('=');
  std::string name = text.substr(0, eq);
  bool good = eq != std::string::npos && !name.empty() &&
              (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
              std::all_of(name.begin(), name.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
              });
  if (!good) {
    std::cerr << "sockdrill " << command << ": --define expects NAME=VALUE with NAME made of "
              << "letters, digits, '_' and '-' (no dot), got \"" << text << "\"\n";
    return false;
  }
  defines[name] = text.substr(eq + 1);
  return true;
}

std::optional<bool> take_define(const std::vector<std::string>& args, std::size_t& i,
                                Defines& defines, const char* command) {
  if (args[i].rfind("--define=", 0) == 0) return add_define(args[i].substr(9), defines, command);
  if (args[i] != "--define") return std::nullopt;
  if (i + 1 >= args.size()) {
    std::cerr << "sockdrill " << command << ": --define needs a value\n";
    return false;
  }
  return add_define(args[++i], defines, command);
}

std::string find_peer_program(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  if (const char* env = std::getenv("SOCKDRILL_PEER"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path dir = ec ? fs::path(".") : exe.parent_path();
  for (fs::path candidate : {dir / "sockdrill-peer", dir / ".." / "peers" / "sockdrill-peer",
                             dir / ".." / "libexec" / "sockdrill" / "sockdrill-peer"}) {
    if (fs::exists(candidate, ec)) return fs::canonical(candidate, ec).string();
  }
  return (dir / "sockdrill-peer").string();
}

}  // namespace sockdrill
