// sockdrill-peer on its own: --help says what it is (exit 0); an unknown argument gets the usage
// on stderr and exit 2.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Ran {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs sockdrill-peer with `args` (shell words), stdin closed, and keeps both outputs apart. The
// files are the process's own: ctest runs these tests as processes side by side.
Ran run_peer(const std::string& args) {
  const std::string base = ::testing::TempDir() + "/peer_help." + std::to_string(::getpid());
  const std::string out = base + ".out", err = base + ".err";
  const std::string command = std::string("'") + SOCKDRILL_PEER_PATH + "' " + args + " </dev/null >'" +
                              out + "' 2>'" + err + "'";
  const int raw = std::system(command.c_str());
  Ran r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

TEST(PeerCommandLine, HelpSaysWhatItIs) {
  for (const char* flag : {"--help", "-h"}) {
    Ran r = run_peer(flag);
    EXPECT_EQ(r.status, 0) << flag;
    EXPECT_EQ(r.err, "") << flag;
    EXPECT_EQ(r.out.rfind("usage: sockdrill-peer [--case NAME] [--peer NAME] | --help\n", 0), 0u) << r.out;
    for (const char* part : {"the process sockdrill starts for each server, client or proxy peer",
                             "not meant to be run by hand", "--case NAME and --peer NAME",
                             "docs/case-format.md"})
      EXPECT_NE(r.out.find(part), std::string::npos) << part << " missing from:\n" << r.out;
  }
}

TEST(PeerCommandLine, UnknownArgumentGivesTheUsageAndExit2) {
  Ran r = run_peer("--frobnicate");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "sockdrill-peer: unknown argument \"--frobnicate\"\n"
                   "usage: sockdrill-peer [--case NAME] [--peer NAME] | --help\n");
  Ran missing = run_peer("--case");
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err, "sockdrill-peer: expected a NAME after \"--case\"\n"
                         "usage: sockdrill-peer [--case NAME] [--peer NAME] | --help\n");
}

// As the runner starts it: the labels are accepted, and end of stdin ends it quietly.
TEST(PeerCommandLine, TheRunnersLabelsAreAccepted) {
  Ran r = run_peer("--case my_case --peer server");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
}

}  // namespace
