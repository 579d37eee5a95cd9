// Writes results for the terminal, for report folders and for JUnit consumers.
#include "harness/run/report.hpp"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace sockdrill {
namespace {

std::string seconds(const Json& report) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << report.value("duration_ms", 0.0) / 1000.0 << " s";
  return s.str();
}

std::string xml_escape(const std::string& in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

void write_json(const std::filesystem::path& file, const Json& j) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file);
  out << j.dump(2) << "\n";
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string failure_text(const Json& report) {
  std::string text;
  if (report.contains("reason")) text += report["reason"].get<std::string>() + "\n";
  for (auto& f : report.value("command_failures", Json::array()))
    text += f.value("message", "") + "\n";
  for (auto& x : report.value("expectations", Json::array()))
    if (x.value("result", "") != "pass")
      text += x.value("where", "") + ": " + x.value("pointer", "") + ": " +
              x.value("message", "") + "\n";
  return text;
}

}  // namespace

void print_case_result(std::ostream& out, const Json& report, bool color) {
  const std::string verdict = report.value("verdict", "error");
  const char* paint = verdict == "pass" ? "\033[32m" : verdict == "skip" ? "\033[33m" : "\033[31m";
  std::string tag = verdict;
  for (char& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  tag.resize(6, ' ');
  out << (color ? paint : "") << tag << (color ? "\033[0m" : "") << " "
      << std::left << std::setw(48) << report.value("name", "?") << " " << seconds(report) << "\n";
  if (verdict == "pass") return;
  if (report.contains("reason")) out << "       " << report["reason"].get<std::string>() << "\n";
  for (auto& f : report.value("command_failures", Json::array()))
    out << "       " << report.value("file", "") << ": /peers/" << f.value("peer", "")
        << "/command/exit_code: " << f.value("message", "") << "\n";
  for (auto& x : report.value("expectations", Json::array()))
    if (x.value("result", "") != "pass")
      out << "       " << x.value("where", "") << ": " << x.value("pointer", "") << ": "
          << x.value("message", "") << "\n";
  for (auto& w : report.value("warnings", Json::array())) out << "       warning: " << w.get<std::string>() << "\n";
  if (report.contains("stderr") && !report["stderr"].get<std::string>().empty())
    out << "       runner output:\n" << report["stderr"].get<std::string>() << "\n";
}

void print_totals(std::ostream& out, const std::vector<Json>& reports) {
  int pass = 0, fail = 0, error = 0, skip = 0;
  for (auto& r : reports) {
    std::string v = r.value("verdict", "error");
    (v == "pass" ? pass : v == "fail" ? fail : v == "skip" ? skip : error)++;
  }
  out << reports.size() << (reports.size() == 1 ? " case: " : " cases: ") << pass << " passed, "
      << fail << " failed, " << error << (error == 1 ? " error" : " errors");
  if (skip) out << ", " << skip << " skipped";
  out << "\n";
}

void write_report_dir(const std::filesystem::path& dir, const std::vector<Json>& reports) {
  Json summary;
  summary["format"] = "sockdrill-summary/1";
  Json cases = Json::array();
  int pass = 0, fail = 0, error = 0, skip = 0;
  for (auto& r : reports) {
    Json c;
    c["name"] = r.value("name", "");
    c["file"] = r.value("file", "");
    c["verdict"] = r.value("verdict", "error");
    c["duration_ms"] = r.value("duration_ms", 0);
    if (r.contains("reason")) c["reason"] = r["reason"];
    if (r.contains("command_failures")) c["command_failures"] = r["command_failures"];
    c["seed"] = r.value("seed", Json());
    c["report"] = "cases/" + r.value("name", "case") + ".json";
    Json xs = Json::array();
    for (auto& x : r.value("expectations", Json::array())) {
      Json e = x;
      if (e.contains("observed")) e["observed"] = x["observed"];
      xs.push_back(e);
    }
    c["expectations"] = xs;
    cases.push_back(c);
    std::string v = c["verdict"];
    (v == "pass" ? pass : v == "fail" ? fail : v == "skip" ? skip : error)++;
    write_json(dir / "cases" / (r.value("name", "case") + ".json"), r);
  }
  summary["cases"] = cases;
  summary["totals"] = {{"cases", reports.size()}, {"pass", pass}, {"fail", fail},
                       {"error", error}, {"skip", skip}};
  if (!reports.empty()) {
    summary["kernel"] = reports.front().value("kernel", "");
  }
  write_json(dir / "summary.json", summary);
}

void write_junit(const std::filesystem::path& file, const std::vector<Json>& reports) {
  int failures = 0, errors = 0, skipped = 0;
  double total = 0;
  for (auto& r : reports) {
    std::string v = r.value("verdict", "error");
    failures += v == "fail";
    errors += v == "error";
    skipped += v == "skip";
    total += r.value("duration_ms", 0.0) / 1000.0;
  }
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"sockdrill\" tests=\"" << reports.size() << "\" failures=\""
      << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\""
      << total << "\">\n";
  out << "  <testsuite name=\"sockdrill\" tests=\"" << reports.size() << "\" failures=\""
      << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\""
      << total << "\">\n";
  for (auto& r : reports) {
    std::string name = r.value("name", "");
    std::string classname = "sockdrill";
    if (auto slash = name.rfind('/'); slash != std::string::npos) {
      classname += "." + name.substr(0, slash);
      for (char& c : classname)
        if (c == '/') c = '.';
    }
    out << "    <testcase classname=\"" << xml_escape(classname) << "\" name=\"" << xml_escape(name)
        << "\" file=\"" << xml_escape(r.value("file", "")) << "\" time=\""
        << r.value("duration_ms", 0.0) / 1000.0 << "\"";
    std::string v = r.value("verdict", "error");
    if (v == "pass") {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    std::string text = failure_text(r);
    std::string first = text.substr(0, text.find('\n'));
    const char* tag = v == "fail" ? "failure" : v == "skip" ? "skipped" : "error";
    out << "      <" << tag << " message=\"" << xml_escape(first) << "\">" << xml_escape(text)
        << "</" << tag << ">\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace sockdrill
