// The HTML report: one self-contained page, failures first, each case with its timeline chart.
#include <algorithm>
#include <charconv>

#include "reports/chart_data.hpp"
#include "reports/html_chart.hpp"
#include "reports/writers.hpp"

namespace sockdrill::reports {
namespace {

// Lists in a case's details stop here; the JSON report (--report) has them all.
constexpr std::size_t kListCap = 200;
constexpr std::size_t kWhyCap = 3;      // failing expectations shown above the chart
constexpr std::size_t kTailLines = 12;  // lines of stderr shown above the chart

constexpr const char* kStyle = R"(
body{font:14px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 16px 24px;color:#1b1f24;background:#fff}
h1{font-size:18px;margin:10px 0 4px}h1 small{font-weight:normal;color:#57606a;font-size:13px}
h2{font-size:16px;margin:0 0 6px}h2 small{font-weight:normal;color:#57606a;font-size:13px}
h3{font-size:14px;margin:10px 0 4px}
table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #e5e7eb}
th{background:#f6f8fa;position:sticky;top:0}
#summary{max-height:190px;overflow:auto;border:1px solid #d0d7de;margin-bottom:10px;display:inline-block;max-width:100%}
#summary td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;min-width:3.2em;text-align:center;font-weight:600;border-radius:3px;padding:0 4px;color:#fff}
.verdict.pass{background:#1a7f37}.verdict.fail{background:#cf222e}.verdict.error{background:#9a6700}.verdict.skip{background:#6e7781}
.case{border-top:2px solid #d0d7de;padding-top:8px;margin-top:8px}
.why{border-left:4px solid #cf222e;background:#fff5f5;padding:4px 10px;margin:4px 0 6px}
.case.error .why,.case.skip .why{border-color:#9a6700;background:#fff8e6}
.why p{margin:2px 0}.where{font-family:ui-monospace,monospace;color:#57606a}
pre{white-space:pre-wrap;word-break:break-word;margin:2px 0;font:12px/1.35 ui-monospace,monospace}
pre.message{max-height:6.8em;overflow:auto}pre.tail{max-height:10em;overflow:auto;background:#f6f8fa;padding:4px}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin:2px 0}
.legend i{display:inline-block;width:12px;height:3px;margin:0 4px 3px 0;vertical-align:middle}.legend .note{color:#57606a}
svg.chart{width:100%;height:auto;display:block;font:11px system-ui,sans-serif}
.plot{fill:#fff;stroke:#d0d7de}.grid{stroke:#eef0f2}.tick{stroke:#8c959f}.axis{fill:#57606a}.lane{fill:#24292f}
.series{fill:none;stroke-width:2;stroke-linejoin:round}.hover{fill:transparent}.hover:hover{fill:rgba(0,0,0,.06)}
.window{stroke-width:1}.window.pass{fill:rgba(26,127,55,.10);stroke:rgba(26,127,55,.5)}
.window.fail{fill:rgba(207,34,46,.09);stroke:#cf222e;stroke-width:2}.window.undecided{fill:rgba(110,119,129,.14);stroke:#8c959f}
.expectation.pass .bar{fill:#b4e5c1}.expectation.fail .bar{fill:#ffc1c0}.expectation.undecided .bar{fill:#dde1e5}
.expectation.fail .lane{fill:#cf222e;font-weight:600}.decided{stroke:#24292f;stroke-width:2}
.note line{stroke:#6e7781;stroke-dasharray:3 3}.note text{fill:#24292f}.note.alarm line{stroke:#cf222e}.note.reset line{stroke:#bc4c00}
.event.plain{stroke:#6e7781;stroke-width:1.5}.event.alarm,.bin.alarm{fill:#cf222e}.event.reset,.bin.reset{fill:#bc4c00}
.event.exit,.bin.exit{fill:#24292f}.bin.plain{fill:#8c959f}
table.expectations td.message{max-width:640px}.result-fail{color:#cf222e;font-weight:600}.result-pass{color:#1a7f37}
details{margin-top:6px}summary{cursor:pointer;color:#0969da}
)";

int rank(Verdict v) {  // the order of the page: what went wrong first
  switch (v) {
    case Verdict::fail:
      return 0;
    case Verdict::error:
      return 1;
    case Verdict::skip:
      return 2;
    case Verdict::pass:
      break;
  }
  return 3;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  return std::string(buf, ec == std::errc() ? end : buf);
}

std::string seconds(double ms) {
  return fixed(ms / 1000.0, 2) + " s";
}

std::string outcome_text(const Outcome& o) {
  std::string text(verdict_name(o.verdict));
  if (!o.code.empty()) text += " (" + o.code + ")";
  return text;
}

// The last `lines` lines of `text`, said when some are left out.
std::string tail_lines(const std::string& text, std::size_t lines) {
  std::size_t start = text.size(), seen = 0;
  if (start > 0 && text[start - 1] == '\n') --start;
  while (start > 0) {
    if (text[start - 1] == '\n' && ++seen == lines) break;
    --start;
  }
  return (start > 0 ? "(earlier lines left out)\n" : "") + text.substr(start);
}

std::string anchor(std::size_t i) {
  return "case-" + std::to_string(i);
}

void write_summary(std::ostream& out, const RunRecord& run, const std::vector<std::size_t>& order) {
  out << "<div id=\"summary\"><table><thead><tr><th>case</th><th>outcome</th><th>time</th>"
         "<th>seed</th><th>file</th></tr></thead><tbody>\n";
  for (std::size_t i : order) {
    const CaseRecord& c = run.cases[i];
    const std::string v(verdict_name(c.outcome.verdict));
    out << "<tr class=\"" << v << "\"><td><a href=\"#" << anchor(i) << "\">" << html_text(c.name)
        << "</a></td><td><span class=\"verdict " << v << "\">" << v << "</span>";
    if (!c.outcome.code.empty()) out << " " << html_text(c.outcome.code);
    out << "</td><td class=\"num\">" << seconds(c.duration_ms) << "</td><td class=\"num\">"
        << (c.seed ? std::to_string(*c.seed) : "") << "</td><td>" << html_text(c.file)
        << "</td></tr>\n";
  }
  out << "</tbody></table></div>\n";
}

void write_expectation_why(std::ostream& out, const ExpectationRecord& x) {
  out << "<p class=\"where\">" << html_text(x.where) << " " << html_text(x.pointer) << " "
      << result_name(x.result) << "</p><pre class=\"message\">" << html_text(x.message)
      << "</pre>\n";
}

// Why the case did not pass, above its chart: its first screen says it.
void write_why(std::ostream& out, const CaseRecord& c) {
  if (c.outcome.verdict == Verdict::pass) return;
  out << "<div class=\"why\">\n";
  if (!c.outcome.reason.empty())
    out << "<p><b>" << html_text(outcome_text(c.outcome)) << ":</b> " << html_text(c.outcome.reason)
        << "</p>\n";
  // Failed expectations; in an error, then the undecided ones (what could not be decided).
  std::size_t listed = 0, more = 0;
  for (auto shown : {ExpectationRecord::Result::fail, ExpectationRecord::Result::undecided}) {
    if (shown == ExpectationRecord::Result::undecided && c.outcome.verdict != Verdict::error) break;
    for (const ExpectationRecord& x : c.expectations)
      if (x.result == shown) (listed++ < kWhyCap ? write_expectation_why(out, x) : void(++more));
  }
  if (more) out << "<p>and " << more << " more below</p>\n";
  for (const CommandFailure& f : c.command_failures) {
    out << "<p><b>" << html_text(f.message) << "</b>";
    if (f.t_ms) out << " at " << chart::ms_text(*f.t_ms) << " ms";
    out << "</p>\n";
    for (const PeerRecord& p : c.peers)
      if (p.name == f.peer && !p.stderr_tail.empty())
        out << "<p>its stderr:</p><pre class=\"tail\">"
            << html_text(tail_lines(p.stderr_tail, kTailLines)) << "</pre>\n";
  }
  if (c.outcome.verdict == Verdict::error && !c.runner_stderr.empty())
    out << "<p>the runner's stderr:</p><pre class=\"tail\">"
        << html_text(tail_lines(c.runner_stderr, kTailLines)) << "</pre>\n";
  out << "</div>\n";
}

void write_expectations(std::ostream& out, const CaseRecord& c) {
  if (c.expectations.empty()) return;
  out << "<table class=\"expectations\"><thead><tr><th>#</th><th>result</th><th>window</th>"
         "<th>expectation</th><th>where</th><th>message</th></tr></thead><tbody>\n";
  for (const ExpectationRecord& x : c.expectations) {
    const std::string r(result_name(x.result));
    out << "<tr><td>" << x.index << "</td><td class=\"result-" << r << "\">" << r << "</td><td>";
    if (x.window_from_ms && x.window_to_ms)
      out << chart::ms_text(*x.window_from_ms) << " to " << chart::ms_text(*x.window_to_ms)
          << " ms";
    out << "</td><td>" << html_text(x.label) << "</td><td class=\"where\">" << html_text(x.where)
        << "</td><td class=\"message\"><pre class=\"message\">" << html_text(x.message)
        << "</pre></td></tr>\n";
  }
  out << "</tbody></table>\n";
}

void write_more(std::ostream& out, std::size_t total, const char* what) {
  if (total > kListCap)
    out << "<p>" << total - kListCap << " more " << what
        << " are left out here; the JSON report (--report) lists them all.</p>\n";
}

void write_details(std::ostream& out, const CaseRecord& c) {
  out << "<details><summary>peers, events, timeline and environment</summary>\n";
  out << "<h3>Peers</h3><table><thead><tr><th>peer</th><th>pid</th><th>listening</th>"
         "<th>exit</th><th>bytes sent</th><th>bytes received</th><th>command</th></tr></thead>"
         "<tbody>\n";
  for (std::size_t i = 0; i < c.peers.size() && i < kListCap; ++i) {
    const PeerRecord& p = c.peers[i];
    std::string argv;
    for (const std::string& a : p.argv) argv += (argv.empty() ? "" : " ") + a;
    out << "<tr><td>" << html_text(p.name) << (p.started ? "" : " (not started)") << "</td><td>"
        << (p.pid ? std::to_string(*p.pid) : "") << "</td><td>"
        << html_text(p.listening.value_or("")) << "</td><td>"
        << (p.exit_code ? std::to_string(*p.exit_code) : "") << "</td><td>" << p.bytes_sent
        << "</td><td>" << p.bytes_received << "</td><td>" << html_text(argv) << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
  write_more(out, c.peers.size(), "peers");
  for (const PeerRecord& p : c.peers) {
    if (!p.command) continue;
    for (const auto& [name, text, cut] : {std::tuple{"stdout", &p.stdout_tail, p.stdout_truncated},
                                          std::tuple{"stderr", &p.stderr_tail, p.stderr_truncated}})
      if (!text->empty())
        out << "<h3>" << html_text(p.name) << " " << name << (cut ? " (its end)" : "")
            << "</h3><pre class=\"tail\">" << html_text(*text) << "</pre>\n";
  }
  if (!c.timeline.empty()) {
    out << "<h3>Timeline</h3><table><tbody>\n";
    for (std::size_t i = 0; i < c.timeline.size() && i < kListCap; ++i)
      out << "<tr><td>" << chart::ms_text(c.timeline[i].t_ms) << " ms</td><td>"
          << html_text(c.timeline[i].kind) << "</td><td>" << html_text(c.timeline[i].text)
          << "</td></tr>\n";
    out << "</tbody></table>\n";
    write_more(out, c.timeline.size(), "timeline entries");
  }
  if (!c.events.empty()) {
    out << "<h3>Events</h3><table><thead><tr><th>t</th><th>peer</th><th>kind</th><th>errno</th>"
           "<th>code</th><th>conn</th><th>local</th><th>remote</th><th>detail</th></tr></thead>"
           "<tbody>\n";
    for (std::size_t i = 0; i < c.events.size() && i < kListCap; ++i) {
      const EventRecord& e = c.events[i];
      out << "<tr><td>" << chart::ms_text(e.t_ms) << " ms</td><td>" << html_text(e.peer)
          << "</td><td>" << html_text(e.kind) << "</td><td>" << html_text(e.errno_name.value_or(""))
          << "</td><td>" << (e.code ? std::to_string(*e.code) : "") << "</td><td>"
          << (e.conn ? std::to_string(*e.conn) : "") << "</td><td>" << html_text(e.local)
          << "</td><td>" << html_text(e.remote) << "</td><td>" << html_text(e.detail)
          << "</td></tr>\n";
    }
    out << "</tbody></table>\n";
    write_more(out, c.events.size(), "events");
  }
  for (const std::string& w : c.warnings) out << "<p>warning: " << html_text(w) << "</p>\n";
  if (!c.runner_stderr.empty())
    out << "<h3>The runner's stderr</h3><pre class=\"tail\">" << html_text(c.runner_stderr)
        << "</pre>\n";
  out << "<h3>Environment</h3><p>" << html_text(c.kernel) << "; " << html_text(c.isolation)
      << "; sample_ms " << c.sample_ms << ", " << c.observations << " observations, "
      << c.late_events << " late events</p>\n";
  if (!c.sysctl.empty()) {
    out << "<pre>";
    for (const auto& [name, value] : c.sysctl)
      out << html_text(name) << " = " << html_text(value) << "\n";
    out << "</pre>\n";
  }
  out << "</details>\n";
}

void write_case(std::ostream& out, const CaseRecord& c, std::size_t i) {
  const std::string v(verdict_name(c.outcome.verdict));
  out << "<section class=\"case " << v << "\" id=\"" << anchor(i)
      << "\">\n<h2><span class=\"verdict " << v << "\">" << v << "</span> " << html_text(c.name)
      << " <small>" << html_text(outcome_text(c.outcome)) << " &middot; " << seconds(c.duration_ms);
  if (c.seed) out << " &middot; seed " << *c.seed;
  out << " &middot; " << html_text(c.file) << "</small></h2>\n";
  write_why(out, c);
  if (c.outcome.verdict != Verdict::skip || !c.samples.empty()) write_case_chart(out, c);
  write_expectations(out, c);
  write_details(out, c);
  out << "</section>\n";
}

}  // namespace

void write_html(const RunRecord& run, std::ostream& out) {
  std::vector<std::size_t> order(run.cases.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return rank(run.cases[a].outcome.verdict) < rank(run.cases[b].outcome.verdict);
  });
  const Totals t = totals(run);
  std::string totals_text = std::to_string(t.cases) + (t.cases == 1 ? " case: " : " cases: ") +
                            std::to_string(t.pass) + " passed, " + std::to_string(t.fail) +
                            " failed, " + std::to_string(t.error) +
                            (t.error == 1 ? " error" : " errors");
  if (t.skip) totals_text += ", " + std::to_string(t.skip) + " skipped";
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>sockdrill: "
      << totals_text << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n"
      << "<h1>sockdrill run <small>" << totals_text;
  if (!run.cases.empty() && !run.cases.front().kernel.empty())
    out << " &middot; " << html_text(run.cases.front().kernel);
  out << "</small></h1>\n";
  write_summary(out, run, order);
  for (std::size_t i : order) write_case(out, run.cases[i], i);
  out << "</body>\n</html>\n";
}

void write_html_file(const RunRecord& run, const std::filesystem::path& file) {
  write_checked(file, [&](std::ostream& out) { write_html(run, out); });
}

}  // namespace sockdrill::reports
