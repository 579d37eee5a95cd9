// Integration tests of NftSession: real connects on loopback, each in a forked child's fresh network namespace.
#include "harness/faults/nft_session.hpp"
#include "tests/faults/match_json.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nftables/libnftables.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "tests/faults/fresh_netns.hpp"

namespace sockdrill {
namespace {

using faults_testing::require;
using faults_testing::run_in_fresh_netns;

constexpr const char* kClient = "127.77.0.5";

// A listening socket on a free port; closed with the object.
struct Listener {
  int fd = -1;
  int port = 0;
  explicit Listener(const char* address) {
    const bool v6 = std::strchr(address, ':') != nullptr;
    fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage storage{};
    socklen_t length = fill(address, 0, storage);
    require(bind(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0, "bind listener");
    require(listen(fd, 128) == 0, "listen");
    require(getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0, "getsockname");
    port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                    : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  }
  ~Listener() { close(fd); }
  static socklen_t fill(const char* address, int port, sockaddr_storage& storage) {
    if (std::strchr(address, ':') != nullptr) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
      a->sin6_family = AF_INET6;
      a->sin6_port = htons(static_cast<uint16_t>(port));
      inet_pton(AF_INET6, address, &a->sin6_addr);
      return sizeof *a;
    }
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, address, &a->sin_addr);
    return sizeof *a;
  }
};

// connect() from source to destination:port, waiting at most ms. 0, the socket's errno, or
// ETIMEDOUT when nothing came back in time (the socket is closed before any SYN retransmit).
int try_connect(const char* source, const char* destination, int port, int ms) {
  sockaddr_storage from{}, to{};
  const socklen_t from_length = Listener::fill(source, 0, from);
  const socklen_t to_length = Listener::fill(destination, port, to);
  int fd = socket(from.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  require(bind(fd, reinterpret_cast<sockaddr*>(&from), from_length) == 0, "bind client");
  int result = 0;
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), to_length) != 0) {
    if (errno != EINPROGRESS) {
      result = errno;
    } else {
      pollfd p{fd, POLLOUT, 0};
      if (poll(&p, 1, ms) == 0) {
        result = ETIMEDOUT;
      } else {
        socklen_t length = sizeof result;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &length);
      }
    }
  }
  close(fd);
  return result;
}

std::map<std::string, PeerIdentity> peers_for(const Listener& server, const char* server_address,
                                              const char* client_address) {
  const bool v6 = std::strchr(server_address, ':') != nullptr;
  PeerIdentity s{v6 ? "" : server_address, v6 ? server_address : "", server.port, "", "", {}, {}};
  PeerIdentity c{v6 ? "" : client_address, v6 ? client_address : "", -1, "", "", {}, {}};
  return {{"server", s}, {"client", c}};
}

// `list tables` in the calling thread's namespace, straight through libnftables; nullopt on error.
std::optional<std::string> list_tables() {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  std::optional<std::string> out;
  if (nft_run_cmd_from_buffer(ctx, "list tables") == 0) out = nft_ctx_get_output_buffer(ctx);
  nft_ctx_free(ctx);
  return out;
}

std::string text(int error) { return error == 0 ? "connected" : std::strerror(error); }

TEST(NftSession, CounterCountsTheSynOfARealConnect) {
  EXPECT_EQ(run_in_fresh_netns([] {
              Listener server("127.0.0.1");
              const auto peers = peers_for(server, "127.0.0.1", kClient);
              NftSession nft;
              nft.add_counter("syn_c2s", match_of(R"({"from": "client", "to": "server", "flags": ["syn"]})"), peers);
              nft.add_counter("synack_s2c", match_of(R"({"from": "server", "to": "client", "flags": ["syn", "ack"]})"), peers);
              nft.add_counter("rst_any", match_of(R"({"flags": ["rst"]})"), peers);
              require(nft.read_counters() == std::map<std::string, std::uint64_t>{{"rst_any", 0}, {"syn_c2s", 0}, {"synack_s2c", 0}},
                      "counters start at 0");
              const int result = try_connect(kClient, "127.0.0.1", server.port, 1000);
              require(result == 0, "connect: " + text(result));
              const auto counts = nft.read_counters();
              require(counts.at("syn_c2s") == 1, "syn_c2s = " + std::to_string(counts.at("syn_c2s")));
              require(counts.at("synack_s2c") == 1, "synack_s2c = " + std::to_string(counts.at("synack_s2c")));
            }),
            "");
}

TEST(NftSession, DropFaultMakesConnectTimeOutAndClearRestores) {
  EXPECT_EQ(run_in_fresh_netns([] {
              Listener server("127.0.0.1");
              const auto peers = peers_for(server, "127.0.0.1", kClient);
              NftSession nft;
              nft.add_fault(fault_of("drop", R"({"from": "client", "to": "server"})"), peers, 1, 0);
              int result = try_connect(kClient, "127.0.0.1", server.port, 300);
              require(result == ETIMEDOUT, "with drop: " + text(result));
              // Another source address is not matched by the fault.
              result = try_connect("127.77.0.6", "127.0.0.1", server.port, 1000);
              require(result == 0, "other client: " + text(result));
              nft.clear_faults();
              result = try_connect(kClient, "127.0.0.1", server.port, 1000);
              require(result == 0, "after clear: " + text(result));
            }),
            "");
}

TEST(NftSession, RejectFaultRefusesConnect) {
  EXPECT_EQ(run_in_fresh_netns([] {
              Listener server("127.0.0.1");
              const auto peers = peers_for(server, "127.0.0.1", kClient);
              NftSession nft;
              nft.add_fault(fault_of("reject", R"({"from": "client", "to": "server", "flags": ["syn"]})"), peers, 1, 0);
              require(nft.ruleset_text().find("reject with tcp reset") != std::string::npos, nft.ruleset_text());
              const int result = try_connect(kClient, "127.0.0.1", server.port, 1000);
              require(result == ECONNREFUSED, "with reject: " + text(result));
            }),
            "");
}

TEST(NftSession, Ipv6DropFault) {
  EXPECT_EQ(run_in_fresh_netns([] {
              Listener server("::1");
              const auto peers = peers_for(server, "::1", "::1");
              NftSession nft;
              nft.add_fault(fault_of("drop", R"({"from": "client", "to": "server"})"), peers, 1, 0);
              int result = try_connect("::1", "::1", server.port, 300);
              require(result == ETIMEDOUT, "with drop: " + text(result));
              nft.clear_faults();
              result = try_connect("::1", "::1", server.port, 1000);
              require(result == 0, "after clear: " + text(result));
            }),
            "");
}

// Which of 16 connects get through a probability-0.5 drop of their SYN with this seed, as "pattern:..x."
// (handed back as the child's message, the only channel out of the fork); fails unless two
// fresh sessions with the same seed give the same pattern.
std::string pattern_with_seed(std::uint64_t seed) {
  std::string pattern;
  const std::string error = run_in_fresh_netns([&] {
    Listener server("127.0.0.1");
    const auto peers = peers_for(server, "127.0.0.1", kClient);
    for (int run = 0; run < 2; ++run) {
      std::string seen;
      {
        NftSession nft;
        nft.add_fault(fault_of("drop", R"({"from": "client", "to": "server", "flags": ["syn"], "probability": 0.5})"), peers, seed, 0);
        for (int i = 0; i < 16; ++i) seen += try_connect(kClient, "127.0.0.1", server.port, 100) == 0 ? '.' : 'x';
      }
      if (run == 0) pattern = seen;
      require(seen == pattern, "run 1 " + pattern + " != run 2 " + seen);
    }
    throw std::runtime_error("pattern:" + pattern);
  });
  return error;
}

TEST(NftSession, SeededProbabilityDropsTheSamePacketsEachTime) {
  const std::string a = pattern_with_seed(42);
  ASSERT_EQ(a.rfind("pattern:", 0), 0u) << a;
  const std::string pattern = a.substr(8);
  EXPECT_NE(pattern.find('x'), std::string::npos) << pattern;
  EXPECT_NE(pattern.find('.'), std::string::npos) << pattern;
  // Another seed picks other packets.
  EXPECT_NE(pattern_with_seed(43), a);
}

TEST(NftSession, DestroyingTheSessionRemovesTheTable) {
  EXPECT_EQ(run_in_fresh_netns([] {
              Listener server("127.0.0.1");
              const auto peers = peers_for(server, "127.0.0.1", kClient);
              {
                NftSession nft;
                nft.add_counter("c", match_of(R"({"to": "server"})"), peers);
                nft.add_fault(fault_of("drop", R"({"to": "server", "probability": 0.3})"), peers, 9, 0);
                require(list_tables().value_or("").find("inet sockdrill") != std::string::npos, "table while alive");
              }
              require(list_tables() == std::optional<std::string>(""), "tables after: " + list_tables().value_or("(error)"));
              const int result = try_connect(kClient, "127.0.0.1", server.port, 1000);
              require(result == 0, "after destroy: " + text(result));
            }),
            "");
}

// Runs one nft command straight through libnftables in the calling thread's namespace.
bool nft_raw(const char* command) {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  const bool ok = nft_run_cmd_from_buffer(ctx, command) == 0;
  nft_ctx_free(ctx);
  return ok;
}

TEST(NftSession, NftErrorsCarryNftsMessageAndTheCommand) {
  EXPECT_EQ(run_in_fresh_netns([] {
              NftSession nft;
              require(nft_raw("delete table inet sockdrill"), "delete the table behind the session's back");
              std::string message;
              try {
                nft.add_counter("lost", match_of("{}"), {});
              } catch (const std::runtime_error& e) {
                message = e.what();
              }
              require(message.find("Error:") != std::string::npos, "nft's text missing: " + message);
              require(message.find("add counter inet sockdrill lost") != std::string::npos, "command missing: " + message);
            }),
            "");
}

TEST(NftSession, BadArgumentsAreRefusedBeforeNft) {
  EXPECT_EQ(run_in_fresh_netns([] {
              NftSession nft;
              auto refused = [](auto&& call) {
                try {
                  call();
                } catch (const std::invalid_argument&) {
                  return true;
                }
                return false;
              };
              require(refused([&] { nft.add_counter("bad name;", match_of("{}"), {}); }), "counter name");
              require(refused([&] { nft.add_fault(fault_of("delay", "{}"), {}, 0, 0); }), "action");
              require(refused([&] { nft.add_fault(fault_of("drop", R"({"probability": 2})"), {}, 0, 0); }), "probability");
              require(refused([&] { nft.add_fault(fault_of("drop", R"({"to": "nobody"})"), {}, 0, 0); }), "peer");
            }),
            "");
}

TEST(NftSession, HostRulesetIsUntouched) {
  const std::optional<std::string> before = list_tables();
  if (!before) GTEST_SKIP() << "cannot list the host's nftables ruleset here";
  EXPECT_EQ(run_in_fresh_netns([] {
              Listener server("127.0.0.1");
              const auto peers = peers_for(server, "127.0.0.1", kClient);
              NftSession nft;
              nft.add_counter("c", match_of(R"({"to": "server"})"), peers);
              nft.add_fault(fault_of("reject", R"({"to": "server"})"), peers, 1, 0);
              require(try_connect(kClient, "127.0.0.1", server.port, 1000) == ECONNREFUSED, "fault active in child");
            }),
            "");
  EXPECT_EQ(list_tables(), before);
}

}  // namespace
}  // namespace sockdrill
