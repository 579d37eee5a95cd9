// A sock_diag socket opened without CAP_NET_ADMIN gets records without the administrator's
// attributes (the socket's mark), SockDiag's is one, and the thread keeps the capability.
#include "harness/observe/without_net_admin.hpp"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#include "harness/observe/sock_diag.hpp"
#include "harness/observe/sock_diag_request.hpp"
#include "tests/observe/netns.hpp"
#include "tests/observe/test_sockets.hpp"

namespace {

namespace st = sockdrill::testing;

bool has_net_admin() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  return ::syscall(SYS_capget, &header, data) == 0 && (data[0].effective & (1u << CAP_NET_ADMIN)) != 0;
}

int open_sock_diag() { return ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG); }

struct DumpSeen {
  int records = 0;
  std::size_t record_bytes = 0;  // the records' messages, without the closing NLMSG_DONE
  bool mark = false;             // some record carried INET_DIAG_MARK
};

// A dump of the namespace's TCP sockets, every state, read whole: the request SockDiag sends.
DumpSeen dump_tcp(int fd) {
  const auto request = sockdrill::tcp_both_families_dump_request(sockdrill::SockDiag::kAllStates, 1);
  EXPECT_EQ(::send(fd, &request, sizeof request, 0), static_cast<ssize_t>(sizeof request));
  DumpSeen seen;
  std::vector<char> buffer(1 << 16);
  for (;;) {
    ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n <= 0) return ADD_FAILURE() << "recv: " << n, seen;
    for (auto* h = reinterpret_cast<nlmsghdr*>(buffer.data()); NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) return seen;
      ++seen.records;
      seen.record_bytes += NLMSG_ALIGN(h->nlmsg_len);
      auto* msg = static_cast<inet_diag_msg*>(NLMSG_DATA(h));
      int left = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof *msg));
      for (auto* a = reinterpret_cast<nlattr*>(msg + 1); left >= static_cast<int>(sizeof *a) &&
                                                         a->nla_len >= sizeof *a && a->nla_len <= left;
           left -= NLA_ALIGN(a->nla_len), a = reinterpret_cast<nlattr*>(reinterpret_cast<char*>(a) + NLA_ALIGN(a->nla_len)))
        if ((a->nla_type & NLA_TYPE_MASK) == INET_DIAG_MARK) seen.mark = true;
    }
  }
}

class WithoutNetAdmin : public ::testing::Test {
 protected:
  void SetUp() override {
    st::enter_fresh_netns();
    if (!has_net_admin()) GTEST_SKIP() << "no CAP_NET_ADMIN here: every socket gets lean records";
    listener_ = st::listen_on("127.0.0.1", 4);
  }
  st::Fd listener_;
};

TEST_F(WithoutNetAdmin, ASocketOpenedSoGetsNoMarkAndTheThreadKeepsTheCapability) {
  st::Fd admin(open_sock_diag());
  st::Fd lean(sockdrill::open_without_net_admin(open_sock_diag));
  ASSERT_GE(admin.get(), 0);
  ASSERT_GE(lean.get(), 0);
  EXPECT_TRUE(has_net_admin()) << "CAP_NET_ADMIN is back in the effective set";
  const DumpSeen as_admin = dump_tcp(admin.get());
  const DumpSeen as_lean = dump_tcp(lean.get());
  ASSERT_EQ(as_admin.records, 1);
  ASSERT_EQ(as_lean.records, 1);
  EXPECT_TRUE(as_admin.mark) << "the kernel sends an administrator each socket's mark";
  EXPECT_FALSE(as_lean.mark);
  EXPECT_LT(as_lean.record_bytes, as_admin.record_bytes);
}

TEST_F(WithoutNetAdmin, SockDiagDumpsAreAsLeanAsThat) {
  st::Fd lean(sockdrill::open_without_net_admin(open_sock_diag));
  const DumpSeen as_lean = dump_tcp(lean.get());
  sockdrill::SockDiag diag;
  std::vector<sockdrill::SocketRecord> records;
  diag.dump(sockdrill::SockDiag::kAllStates, records);
  ASSERT_EQ(records.size(), 1u);
  // The same record, then the closing NLMSG_DONE (its header and an int).
  EXPECT_EQ(diag.dump_bytes(), as_lean.record_bytes + NLMSG_ALIGN(NLMSG_LENGTH(sizeof(int)))) << "lean record " << as_lean.record_bytes;
  EXPECT_TRUE(has_net_admin());
}

}  // namespace
