// The sampler with a command peer: its descriptors are read again after a dump only when the dump
// shows a socket that nothing has attributed yet; a case that holds its sockets costs one read;
// tcp_info is asked for only while a command holds sockets; a sample shows every socket that stayed
// while others closed midway through its dump.
#include "harness/observe/sampler.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

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

  // The first sample also reads the table again, with tcp_info, for the command's first sockets
  // (the only command owns what no peer claims); they were attributed after the first read's
  // scan, so that second read needs no scan of its own.
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

pid_t idle_child() {
  const pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  return child;
}

bool command_sockets_have_byte_counts(const Sampler& sampler, int command) {
  bool seen = false;
  for (std::size_t i = 0; i < sampler.last_records().size(); ++i) {
    const auto& r = sampler.last_records()[i];
    if (sampler.last_owners()[i] != command || r.state != sockdrill::TcpState::ESTABLISHED) continue;
    if (!r.has_bytes) return false;
    seen = true;
  }
  return seen;
}

// Peer 0 is an idle command, peer 1 claims every socket on 127.0.0.1: nothing needs tcp_info.
// Then a socket on 127.0.0.2 (claimed by nobody, so the only command's) appears: the sample that
// first shows it has its byte counts already (the table is read again with them).
TEST(SamplerTest, TcpInfoIsAskedForOnlyWhileACommandHoldsSockets) {
  st::enter_fresh_netns();
  const pid_t child = idle_child();
  ASSERT_GE(child, 0);
  Sampler sampler({true, false});
  sampler.attribution().claim_address(1, "127.0.0.1");
  const std::vector<CommandProcess> commands{{0, child, false}};
  st::Fd listener = st::listen_on("127.0.0.1", 16);
  st::Fd client = st::connect_to("127.0.0.1", st::local_port(listener.get()));

  sampler.take(commands, {});
  ASSERT_FALSE(sampler.last_records().empty());
  for (const auto& r : sampler.last_records()) EXPECT_FALSE(r.has_bytes) << "no command socket: no tcp_info";

  st::Fd other_listener = st::listen_on("127.0.0.2", 16);
  st::Fd other_client = st::connect_to("127.0.0.2", st::local_port(other_listener.get()));
  sampler.take(commands, {});
  EXPECT_TRUE(command_sockets_have_byte_counts(sampler, 0)) << "the first sample with a command's socket";
  sampler.take(commands, {});
  EXPECT_TRUE(command_sockets_have_byte_counts(sampler, 0)) << "and every one after";

  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

// A sample's dump that the kernel reads while connections close can skip others that stayed
// open (see DumpRepair); the sample still shows every one of them.
TEST(SamplerTest, ASampleShowsEverySocketThatStayedWhileOthersClosedMidwayThroughItsDump) {
  st::enter_netns_with_tcp_table(128);  // several sockets a bucket, as in a case's own table
  Sampler sampler({false});
  sampler.attribution().claim_address(0, "127.0.0.1");
  st::Fd listener = st::listen_on("127.0.0.1", 4096);
  const std::uint16_t port = st::local_port(listener.get());
  constexpr std::size_t kKept = 1250;
  std::vector<st::Fd> kept, doomed;
  for (std::size_t i = 0; i < kKept; ++i) {
    kept.push_back(st::connect_to("127.0.0.1", port));
    kept.push_back(st::accept_one(listener.get()));
  }
  std::set<std::uint32_t> kept_inodes;
  for (const st::Fd& fd : kept) {
    struct stat st{};
    ::fstat(fd.get(), &st);
    kept_inodes.insert(static_cast<std::uint32_t>(st.st_ino));
  }
  const auto established = static_cast<std::size_t>(sockdrill::TcpState::ESTABLISHED);
  std::size_t next = 0;
  int round = 0;
  for (; round < 10 && sampler.dump_repairs().skipped == 0; ++round) {
    doomed.clear();
    for (std::size_t i = 0; i < kKept; ++i) {
      doomed.push_back(st::connect_to("127.0.0.1", port));
      doomed.push_back(st::accept_one(listener.get()));
    }
    next = 0;
    sampler.take({}, {});
    sampler.table_reader().set_between_chunks([&] {
      for (std::size_t end = std::min(next + 120, doomed.size()); next < end; next += 2) {
        st::set_linger_zero(doomed[next].get());
        doomed[next].reset();
      }
    });
    const sockdrill::Sample s = sampler.take({}, {});
    sampler.table_reader().set_between_chunks(nullptr);
    std::size_t kept_seen = 0;
    for (const sockdrill::SocketRecord& r : sampler.last_records()) kept_seen += kept_inodes.count(r.inode);
    EXPECT_EQ(kept_seen, 2 * kKept) << "round " << round << ": every kept socket, once";
    // And the doomed ones the dump read before they were reset; none twice.
    EXPECT_LE(s.per_peer[0][established], 4 * kKept) << "round " << round;
  }
  EXPECT_GT(sampler.dump_repairs().skipped, 0u) << "no dump skipped a socket in " << round << " rounds";
}

}  // namespace

namespace {

// From 2,000 sockets on, a sample reads only the states expectations name (one in 20 reads them
// all): the others show the sockets the last whole read found in them, not zero, less those the
// sample saw itself in a state it read.
TEST(SamplerTest, ASampleThatReadsSomeStatesShowsTheOthersAsTheLastWholeReadFoundThem) {
  st::enter_netns_with_tcp_table(4096);
  Sampler sampler({});
  sampler.set_needed_states(sockdrill::tcp_state_bit(sockdrill::TcpState::CLOSE_WAIT));
  st::Fd listener = st::listen_on("127.0.0.1", 2048);
  std::vector<st::Fd> sockets;
  for (int i = 0; i < 1000; ++i) {
    sockets.push_back(st::connect_to("127.0.0.1", st::local_port(listener.get())));
    sockets.push_back(st::accept_one(listener.get()));
  }
  const auto at = [](sockdrill::TcpState s) { return static_cast<std::size_t>(s); };
  for (int i = 0; i < 5; ++i) {
    const sockdrill::Sample s = sampler.take({}, {});
    EXPECT_EQ(sampler.last_was_complete(), i == 0) << "sample " << i;
    EXPECT_EQ(s.unattributed[at(sockdrill::TcpState::LISTEN)], 1u) << "sample " << i;
    EXPECT_EQ(s.unattributed[at(sockdrill::TcpState::ESTABLISHED)], 2000u) << "sample " << i;
  }
  // A state read in every sample is this read's: one closed connection shows at once.
  sockets[1].reset();  // the server end of the first connection: its client goes to CLOSE_WAIT
  const auto closed = st::dump_until(sampler.table_reader(), sockdrill::SockDiag::kAllStates,
                                     [](const std::vector<sockdrill::SocketRecord>& records) {
                                       for (const auto& r : records)
                                         if (r.state == sockdrill::TcpState::CLOSE_WAIT) return true;
                                       return false;
                                     });
  ASSERT_FALSE(closed.empty());
  const sockdrill::Sample s = sampler.take({}, {});
  EXPECT_FALSE(sampler.last_was_complete());
  EXPECT_EQ(s.unattributed[at(sockdrill::TcpState::CLOSE_WAIT)], 1u);
  // The client end, seen in CLOSE_WAIT, is not counted in ESTABLISHED as well; the server end, in
  // FIN_WAIT2, which this read did not ask about, still counts as the whole read found it.
  EXPECT_EQ(s.unattributed[at(sockdrill::TcpState::ESTABLISHED)], 1999u);
  EXPECT_EQ(s.unattributed[at(sockdrill::TcpState::FIN_WAIT2)], 0u);
  EXPECT_EQ(s.unattributed[at(sockdrill::TcpState::LISTEN)], 1u);
}

}  // namespace
