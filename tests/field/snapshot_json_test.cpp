// sockdrill-snapshot/1: what is written is read back the same; what is not a snapshot says where.
#include "harness/field/snapshot_json.hpp"

#include <gtest/gtest.h>

#include "tests/field/snapshot_builders.hpp"

namespace sockdrill::field {
namespace {

using testing::group;
using testing::process;
using testing::snapshot;

Snapshot full() {
  SocketGroup cw = group(TcpState::CLOSE_WAIT, 1834, "10.0.0.1:*", "10.0.0.5:5432");
  cw.recv_q = 10;
  cw.recv_q_max = 10;
  cw.with_unread = 1;
  cw.quiet_ms_min = 5;
  cw.quiet_ms_max = 3'412'000;
  cw.unread_for_ms_min = 9;
  cw.unread_for_ms_max = 9;
  cw.idle_ms_max = 77;
  cw.timers["keepalive"] = 3;
  cw.expires_ms_max = 1000;
  Snapshot s = snapshot({process(4242, {cw})}, {group(TcpState::TIME_WAIT, 3, "10.0.0.1:*", "10.0.0.5:80")});
  s.unattributed.sockets = 1;
  s.unattributed.states[TcpState::LISTEN] = 1;
  s.unattributed.groups.push_back(group(TcpState::LISTEN, 1, "0.0.0.0:22", "*:*"));
  s.listeners.push_back({"0.0.0.0:8080", {4242}, 129, 128});
  s.counters["TcpExtListenOverflows"] = 5;
  s.only_pids = {4242};
  s.unreadable_processes = 2;
  s.netns_path = "/proc/4242/ns/net";
  return s;
}

TEST(SnapshotJson, EveryFieldSurvivesARoundTrip) {
  const Json first = snapshot_to_json(full());
  const Json again = snapshot_to_json(snapshot_from_json(first));
  EXPECT_EQ(first, again) << first.dump(2) << "\n" << again.dump(2);
  EXPECT_EQ(first["format"], "sockdrill-snapshot/1");
  EXPECT_EQ(first["taken_at"], "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(first["processes"][0]["groups"][0]["state"], "CLOSE_WAIT");
}

TEST(SnapshotJson, AnotherFormatIsRefusedNamingBoth) {
  Json j = snapshot_to_json(full());
  j["format"] = "sockdrill-snapshot/2";
  try {
    snapshot_from_json(j);
    FAIL() << "read a snapshot of another format";
  } catch (const SnapshotFormatError& e) {
    EXPECT_STREQ(e.what(), "/format: expected \"sockdrill-snapshot/1\", found \"sockdrill-snapshot/2\"");
  }
}

TEST(SnapshotJson, AWrongValueIsNamedByItsPointer) {
  Json j = snapshot_to_json(full());
  j["processes"][0]["groups"][0]["count"] = -3;
  try {
    snapshot_from_json(j);
    FAIL() << "read a negative count";
  } catch (const SnapshotFormatError& e) {
    EXPECT_STREQ(e.what(), "/processes/0/groups/0/count: expected a whole number >= 0, found -3");
  }
  j = snapshot_to_json(full());
  j["orphans"].erase("states");
  try {
    snapshot_from_json(j);
    FAIL() << "read orphans without states";
  } catch (const SnapshotFormatError& e) {
    EXPECT_STREQ(e.what(), "/orphans/states: missing");
  }
  j = snapshot_to_json(full());
  j["states"]["CLOSED_WAIT"] = 1;
  EXPECT_THROW(snapshot_from_json(j), SnapshotFormatError);
}

}  // namespace
}  // namespace sockdrill::field
