// Reading the namespace's TCP counters and sysctls.
#include "common/tcp_counters.hpp"

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace sockdrill {
namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    std::size_t end = at;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    if (end > at) out.push_back(line.substr(at, end - at));
    at = end;
  }
  return out;
}

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void parse_proc_counters(std::string_view text, std::map<std::string, std::int64_t>& out) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const auto names = words(lines[i]);
    const auto values = words(lines[i + 1]);
    if (names.empty() || names.size() != values.size() || names[0] != values[0]) continue;
    const std::string_view prefix = names[0].substr(0, names[0].size() - 1);  // without ':'
    if (names[0].back() != ':' || (prefix != "Tcp" && prefix != "TcpExt")) continue;
    for (std::size_t k = 1; k < names.size(); ++k) {
      const std::string value(values[k]);
      char* end = nullptr;
      const long long v = std::strtoll(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0') continue;
      out[std::string(prefix) + std::string(names[k])] = v;
    }
    ++i;  // the values line is consumed
  }
}

std::map<std::string, std::int64_t> read_tcp_counters() {
  std::map<std::string, std::int64_t> out;
  parse_proc_counters(read_file("/proc/net/snmp"), out);
  parse_proc_counters(read_file("/proc/net/netstat"), out);
  return out;
}

std::map<std::string, std::string> read_tcp_sysctls() {
  static constexpr std::array kNames{
      "net.ipv4.tcp_fin_timeout",     "net.ipv4.tcp_keepalive_time",  "net.ipv4.tcp_keepalive_intvl",
      "net.ipv4.tcp_keepalive_probes", "net.core.somaxconn",          "net.ipv4.tcp_max_syn_backlog",
      "net.ipv4.tcp_abort_on_overflow", "net.ipv4.tcp_syncookies",    "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_max_orphans",     "net.ipv4.tcp_orphan_retries",  "net.ipv4.tcp_max_tw_buckets",
      "net.ipv4.tcp_tw_reuse",        "net.ipv4.tcp_synack_retries",  "net.ipv4.tcp_retries2"};
  std::map<std::string, std::string> out;
  for (const char* name : kNames) {
    std::string path = std::string("/proc/sys/") + name;
    for (char& c : path)
      if (c == '.') c = '/';
    std::string value = read_file(path.c_str());
    if (value.empty()) continue;
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
    for (char& c : value)
      if (c == '\t') c = ' ';
    out[name] = value;
  }
  return out;
}

}  // namespace sockdrill
