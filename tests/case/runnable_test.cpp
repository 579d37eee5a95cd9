// Tests of what is valid case JSON but could never run as written: `check` refuses it, with the
// place and the reason, before anything starts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/case/case_parser.hpp"

namespace fs = std::filesystem;

namespace sockdrill {
namespace {

std::vector<std::string> errors_of(const std::string& text, const fs::path& file = "case.json",
                                   bool look_at_files = false) {
  auto r = parse_case_text(text, file, {}, look_at_files);
  std::vector<std::string> out;
  for (auto& e : r.errors) out.push_back(e.message);
  return out;
}

std::string one_error(const std::string& text, const fs::path& file = "case.json",
                      bool look_at_files = false) {
  auto all = errors_of(text, file, look_at_files);
  EXPECT_EQ(all.size(), 1u) << ::testing::PrintToString(all);
  return all.empty() ? "" : all.front();
}

// A case around `peers` (a JSON object's members) and `expect` (one expectation).
std::string kase(const std::string& peers, const std::string& expect =
                     R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 10 })",
                 const std::string& top = "") {
  return "{ \"about\": \"x\", " + top + " \"peers\": { " + peers + " }, \"expect\": [ " + expect + " ] }";
}

const std::string kServer = R"("server": { "listen": {} })";

TEST(Runnable, AWindowMustEndByTheTimeLimit) {
  EXPECT_NE(one_error(kase(kServer, R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 3000 })",
                           R"("timeout_ms": 2000,)"))
                .find("/expect/0/by_ms: the window ends at 3000 ms, after timeout_ms (2000 ms)"),
            std::string::npos);
  EXPECT_NE(one_error(kase(kServer, R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "from_ms": 100, "until_ms": 10001 })"))
                .find("/expect/0/until_ms: the window ends at 10001 ms, after timeout_ms (10000 ms)"),
            std::string::npos);
}

TEST(Runnable, AnAlwaysWindowMustEndBeforeTheTimeLimit) {
  EXPECT_NE(one_error(kase(kServer, R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "from_ms": 100, "until_ms": 2000 })",
                           R"("timeout_ms": 2000,)"))
                .find("/expect/0/until_ms: the window ends at timeout_ms (2000 ms)"),
            std::string::npos);
  // An eventually may end there: it passes at an observation inside it.
  EXPECT_TRUE(errors_of(kase(kServer, R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 2000 })",
                             R"("timeout_ms": 2000,)"))
                  .empty());
}

TEST(Runnable, AWindowOfNoTimeCannotBeObserved) {
  EXPECT_NE(one_error(kase(kServer, R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 0 })"))
                .find("/expect/0/by_ms: a window of 0 ms cannot be observed"),
            std::string::npos);
  EXPECT_NE(one_error(kase(kServer, R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "from_ms": 300, "until_ms": 300 })"))
                .find("/expect/0/until_ms: a window of 0 ms cannot be observed"),
            std::string::npos);
}

TEST(Runnable, PeersWhosePortsNeedEachOtherCannotStart) {
  const std::string e = one_error(kase(
      R"("a": { "listen": { "port": "{b.port}" } }, "b": { "proxy": { "to": "a" } }, )" + kServer));
  EXPECT_NE(e.find("each need another's port first"), std::string::npos) << e;
  EXPECT_NE(e.find("a -> b -> a"), std::string::npos) << e;
}

TEST(Runnable, APeerCannotStartBeforeAPeerItNeeds) {
  const std::string e = one_error(kase(
      R"("server": { "listen": {}, "start_ms": 500 }, "client": { "connect": { "to": "server" } })"));
  EXPECT_NE(e.find("/peers/client: peer \"client\" starts before t = 0 but needs peer \"server\", "
                   "which starts at 500 ms: give \"client\" a start_ms of at least 500"),
            std::string::npos)
      << e;
  EXPECT_TRUE(errors_of(kase(R"("server": { "listen": {}, "start_ms": 500 },
                               "client": { "connect": { "to": "server" }, "start_ms": 500 })"))
                  .empty());
}

TEST(Runnable, AtMostAThousandPeers) {
  std::string peers = kServer;
  for (int i = 0; i < 1000; ++i) peers += R"(, "c)" + std::to_string(i) + R"(": { "connect": { "to": "server" } })";
  const std::string e = one_error(kase(peers));
  EXPECT_NE(e.find("/peers: expected at most 1000 peers (each runs as a process of its own), got 1001"),
            std::string::npos)
      << e;
}

TEST(Runnable, NoPeerListensWhereClientsConnectFrom) {
  EXPECT_NE(one_error(kase(R"("server": { "listen": { "address": "127.77.0.3" } })"))
                .find("expected an address outside 127.77.0.0/16 and fd00:5d::/64"),
            std::string::npos);
  EXPECT_NE(one_error(kase(R"("server": { "listen": { "address": "fd00:5d::9" } })"))
                .find("expected an address outside 127.77.0.0/16 and fd00:5d::/64"),
            std::string::npos);
}

TEST(Runnable, ArgumentsAndEnvironmentHoldNoNul) {
  EXPECT_NE(one_error(kase(kServer + R"(, "app": { "command": { "argv": ["sh", "-c", "a\u0000b"] } })"))
                .find("/peers/app/command/argv/2: argument 2 holds a NUL character"),
            std::string::npos);
  EXPECT_NE(one_error(kase(kServer + R"(, "app": { "command": { "argv": ["sh"], "env": { "X": "a\u0000b" } } })"))
                .find("/peers/app/command/env/X: the value of X holds a NUL character"),
            std::string::npos);
}

TEST(Runnable, AProgramAndItsCaseFilesMustExist) {
  const fs::path dir = fs::temp_directory_path() / ("sockdrill-runnable-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "there.py") << "print('x')\n";
  const fs::path file = dir / "case.json";
  auto app = [&](const std::string& argv) {
    return kase(kServer + R"(, "app": { "command": { "argv": )" + argv + " } }");
  };
  EXPECT_TRUE(errors_of(app(R"(["python3", "{case_dir}/there.py"])"), file, true).empty());
  EXPECT_NE(one_error(app(R"(["no-such-program-here"])"), file, true)
                .find("/peers/app/command/argv/0: program \"no-such-program-here\" is not found in PATH"),
            std::string::npos);
  EXPECT_NE(one_error(app(R"(["/no/such/tool"])"), file, true)
                .find("program \"/no/such/tool\" does not exist"),
            std::string::npos);
  EXPECT_NE(one_error(app(R"(["python3", "{case_dir}/gone.py"])"), file, true)
                .find("/peers/app/command/argv/1: file \"" + (dir / "gone.py").string() +
                      "\" does not exist (named as {case_dir}/gone.py)"),
            std::string::npos);
  // Without looking at files (the rules alone), none of that is checked.
  EXPECT_TRUE(errors_of(app(R"(["no-such-program-here"])"), file, false).empty());
  fs::remove_all(dir);
}

TEST(Runnable, SysctlsTheCasesNamespaceCannotSetAreRefused) {
  if (!fs::exists("/proc/sys/net/core/rmem_max")) GTEST_SKIP() << "no net.core.rmem_max here";
  const std::string e = one_error(kase(kServer, R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 10 })",
                                       R"("sysctl": { "net.core.rmem_max": 4194304 },)"));
  // A namespace either lacks it or holds it read-only: either way it is the host's alone.
  EXPECT_TRUE(e.find("cannot set it") != std::string::npos) << e;
  EXPECT_TRUE(errors_of(kase(kServer, R"({ "sockets": { "peer": "server", "state": "LISTEN" }, "count": 1, "by_ms": 10 })",
                             R"("sysctl": { "net.ipv4.tcp_fin_timeout": 2 },)"))
                  .empty());
}

}  // namespace
}  // namespace sockdrill
