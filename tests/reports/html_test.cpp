// The HTML report: the approved page, escaping, its order, and its size on a case of 10,000
// sockets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reports/chart_data.hpp"
#include "reports/writers.hpp"
#include "test_records.hpp"

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

std::string html_of(const RunRecord& run) {
  std::ostringstream out;
  write_html(run, out);
  return out.str();
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Every verdict, then the runner's reports in fixtures/ (real runs: samples, events, windows).
RunRecord approved_run() {
  RunRecord run = test::every_verdict();
  for (const char* name : {"bytes_miscounted", "command_exit_code", "frees_close_wait",
                           "past_time_limit", "start_order", "syn_dropped", "toxic_timeline"})
    run.cases.push_back(
        case_from_json(Json::parse(test::slurp(test::kFixtures / (std::string(name) + ".json")))));
  return run;
}

// SOCKDRILL_APPROVE=1 writes the page as the new approved file (look at it before committing).
TEST(Html, MatchesTheApprovedPage) {
  const std::string page = html_of(approved_run());
  if (std::getenv("SOCKDRILL_APPROVE")) std::ofstream(test::kApproved / "report.html") << page;
  EXPECT_EQ(page, test::slurp(test::kApproved / "report.html"));
}

TEST(Html, NothingComesFromTheNetwork) {
  const std::string page = html_of(approved_run());
  for (const char* outside : {"http:", "https:", "<link", "@import", "url(", "src="})
    EXPECT_EQ(page.find(outside), std::string::npos) << outside;
}

TEST(Html, FailuresComeFirstAndTheSummaryListsEveryCase) {
  const RunRecord run = test::every_verdict();
  const std::string page = html_of(run);
  const std::size_t summary_end = page.find("</table></div>");
  ASSERT_NE(summary_end, std::string::npos);
  for (const CaseRecord& c : run.cases)
    EXPECT_LT(page.find(">" + c.name + "</a>"), summary_end) << c.name;
  const std::size_t fail = page.find("<section class=\"case fail\"");
  const std::size_t error = page.find("<section class=\"case error\"");
  const std::size_t skip = page.find("<section class=\"case skip\"");
  const std::size_t pass = page.find("<section class=\"case pass\"");
  EXPECT_LT(fail, error);
  EXPECT_LT(error, skip);
  EXPECT_LT(skip, pass);
  // The failing expectation's place and message come before its chart.
  const std::size_t why = page.find("cases/app_exit.json:9:5 /expect/0 fail", fail);
  EXPECT_LT(why, page.find("<svg", fail));
  EXPECT_LT(page.find("expected 1, saw 0", fail), page.find("<svg", fail));
}

TEST(Html, EscapesEverythingFromTheRecord) {
  CaseRecord c = test::failed_case();
  const std::string nasty = "<script>alert('x')</script>&amp;\"<img src=x onerror=alert(1)>";
  c.name = "a/" + nasty;
  c.file = nasty;
  c.outcome.reason = nasty;
  c.runner_stderr = nasty + "\x01\xff";
  c.expectations[0].message = "</pre>" + nasty;
  c.expectations[0].label = nasty;
  c.expectations[0].where = nasty;
  c.events = {
      {1, nasty, nasty, 0, std::nullopt, nasty, std::nullopt, std::nullopt, nasty, nasty, nasty}};
  c.timeline = {{2, nasty, nasty, nullptr}};
  c.samples = {{0, {{nasty, {{nasty, 1}}}}}};
  PeerRecord p;
  p.name = nasty;
  p.command = true;
  p.argv = {nasty};
  p.stderr_tail = nasty;
  c.peers = {p};
  c.warnings = {nasty};
  c.kernel = nasty;
  const std::string page = html_of({{c}});
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("</pre><script"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&amp;amp;&quot;"),
            std::string::npos);
  EXPECT_EQ(page.find('\x01'), std::string::npos);
  EXPECT_EQ(page.find('\xff'), std::string::npos);
}

// A case of 10,000 connections: events binned, counts in bounded columns, a short peak kept.
TEST(Html, StaysBoundedForTenThousandConnections) {
  CaseRecord c = test::failed_case();
  c.duration_ms = 5000;
  for (int i = 0; i < 60; ++i) {
    PeerRecord p;
    p.name = "client" + std::to_string(i);
    c.peers.push_back(p);
  }
  for (int i = 0; i < 10000; ++i) {
    const std::string peer = "client" + std::to_string(i % 60);
    c.events.push_back({i * 0.4, peer, "connected", i, std::nullopt, std::nullopt, std::nullopt,
                        std::nullopt, "127.77.0.2:1", "127.0.0.1:80", ""});
    c.events.push_back({i * 0.4 + 0.2, peer, "error", i, 1, "ECONNRESET", std::nullopt,
                        std::nullopt, "", "", "recv"});
  }
  for (int s = 0; s < 4000; ++s) {
    SampleRecord sample{s * 1.25, {}};
    for (int p = 0; p < 60; ++p)
      sample.sockets["client" + std::to_string(p)] = {{"ESTABLISHED", s % 7},
                                                      {"TIME_WAIT", s / 40}};
    if (s == 1234) sample.sockets["client7"]["ESTABLISHED"] = 9999;  // one sample's peak
    c.samples.push_back(std::move(sample));
  }
  c.expectations[0].window_from_ms = 1000;
  c.expectations[0].window_to_ms = 2000;
  const std::string page = html_of({{c}});
  EXPECT_LT(page.size(), 600'000u);
  EXPECT_LE(occurrences(page, "<path class=\"event"), chart::kMaxMarks);
  EXPECT_GT(occurrences(page, "<rect class=\"bin"), 0u);
  EXPECT_LE(occurrences(page, "<rect class=\"bin"), chart::kMaxLanes * chart::kBins);
  EXPECT_LE(occurrences(page, "<rect class=\"hover\""), chart::kMaxColumns);
  EXPECT_LE(occurrences(page, "<path class=\"series\""), chart::kMaxSeries);
  EXPECT_NE(page.find("other peers"), std::string::npos);
  EXPECT_NE(page.find("other sockets"), std::string::npos);
  EXPECT_NE(page.find("client7 ESTABLISHED (max 9999)"), std::string::npos);
  EXPECT_NE(page.find("client7 ESTABLISHED=9999"), std::string::npos);  // on hover
  EXPECT_NE(page.find("error ECONNRESET"), std::string::npos);          // a bin's tally
  EXPECT_NE(page.find(std::to_string(c.events.size() - 200) + " more events are left out here"),
            std::string::npos);  // 200 listed
}

TEST(Html, TheReportFolderHasIndexHtml) {
  const fs::path dir =
      fs::temp_directory_path() / ("sockdrill-reports-index-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_json_dir(test::every_verdict(), dir);
  EXPECT_EQ(test::slurp(dir / "index.html"), html_of(test::every_verdict()));
  fs::remove_all(dir);
}

TEST(Html, TheHtmlOptionWritesIt) {
  const Writer* w = writer_for_option("--html");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->write, &write_html_file);
  EXPECT_EQ(w->destination, Destination::file);
}

TEST(ChartData, MsTextIgnoresTheGlobalLocaleAndNegativeZero) {
  EXPECT_EQ(chart::ms_text(105.5), "105.5");
  EXPECT_EQ(chart::ms_text(100.0), "100");
  EXPECT_EQ(chart::ms_text(-0.01), "0");
  EXPECT_EQ(chart::ms_text(-11.94), "-11.9");
}

}  // namespace
}  // namespace sockdrill::reports
