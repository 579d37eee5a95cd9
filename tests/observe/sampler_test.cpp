// The sampler with a command peer: its descriptors are read again after a dump only when the dump
// shows a socket that nothing has attributed yet; a case that holds its sockets costs one read.
#include "harness/observe/sampler.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/observe/netns.hpp"
#include "tests/observe/test_sockets.hpp"

namespace {

using sockdrill::CommandProcess;
using sockdrill::Sampler;
namespace st = sockdrill::testing;

// The command is an idle child; the sockets are this process's, so no descriptor of the command
// claims them and each is new to the sampler until it has been attributed once.
TEST(SamplerTest, ACommandsDescriptorsAreReadAgainAfterADumpOnlyForNewSockets) {
  st::enter_fresh_netns();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  Sampler sampler({true});
  const std::vector<CommandProcess> commands{{0, child, false}};
  st::Fd listener = st::listen_on("127.0.0.1", 16);
  st::Fd client = st::connect_to("127.0.0.1", st::local_port(listener.get()));

  sampler.take(commands, {});
  EXPECT_EQ(sampler.command_scans(), 2u) << "new sockets: read before and after the dump";
  sampler.take(commands, {});
  EXPECT_EQ(sampler.command_scans(), 3u) << "the same sockets, attributed before: read before the dump only";
  st::Fd another = st::connect_to("127.0.0.1", st::local_port(listener.get()));
  sampler.take(commands, {});
  EXPECT_EQ(sampler.command_scans(), 5u) << "a new socket: read after the dump again";
  sampler.take(commands, {});
  EXPECT_EQ(sampler.command_scans(), 6u);

  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

}  // namespace
