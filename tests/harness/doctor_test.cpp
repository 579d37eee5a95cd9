// `sockdrill doctor`: a line per mechanism, all ok on the test machine; a probe made to fail.
#include <gtest/gtest.h>

#include "harness/cli/doctor/probe.hpp"
#include "tests/harness/cli_support.hpp"

namespace sockdrill::cli_test {
namespace {

TEST(Doctor, SaysEveryMechanismAndFindsAllOnThisMachine) {
  Outcome o = run_sockdrill({"doctor"});
  // The suite's machine (root, Linux 6.1+, nftables, IPv6, libpcap) has every mechanism.
  EXPECT_EQ(o.status, 0) << o.output;
  for (const doctor::Probe& probe : doctor::probes()) {
    EXPECT_NE(o.output.find(std::string("\nok      ") + probe.name + ": "), std::string::npos)
        << "expected the line \"ok      " << probe.name << ": ...\" in:\n" << o.output;
  }
  EXPECT_EQ(o.output.find("missing "), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("everything the case library needs is here"), std::string::npos) << o.output;
}

TEST(Doctor, FullIdRangeProbeSaysWhatIsMissing) {
  const fs::path dir = temp_dir("doctor-subid");
  { std::ofstream(dir / "subuid") << "someone:100000:65536\n"; }
  { std::ofstream(dir / "subgid") << "nobody:300000:65536\n"; }
  doctor::ProbeContext nobody;
  nobody.uid = 65534;
  nobody.gid = 65534;
  nobody.subid_files = {(dir / "subuid").string(), (dir / "subgid").string()};
  doctor::ProbeResult r = doctor::probe_full_id_range(nobody);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "no subordinate uids for nobody in " + (dir / "subuid").string());

  { std::ofstream(dir / "subuid") << "# a comment\nnobody:100000:1000\n65534:200000:65536\n"; }
  r = doctor::probe_full_id_range(nobody);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "nobody has 65536 uids from 200000, 65536 gids from 300000");

  { std::ofstream(dir / "subuid") << "nobody:100000:1000\n"; }
  r = doctor::probe_full_id_range(nobody);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_NE(r.detail.find("short of 65536"), std::string::npos) << r.detail;
  fs::remove_all(dir);
}

TEST(Doctor, FullIdRangeIsNotNeededAsRoot) {
  doctor::ProbeContext root;
  root.uid = 0;
  root.subid_files = {"/nonexistent/subuid", "/nonexistent/subgid"};
  EXPECT_TRUE(doctor::probe_full_id_range(root).ok);
}

}  // namespace
}  // namespace sockdrill::cli_test
