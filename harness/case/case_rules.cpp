// Every semantic rule of the case format (docs/case-format.md), checked before anything starts, building the CaseSpec.
#include "harness/case/case_rules.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "behaviors/script.hpp"
#include "behaviors/toxics/toxic.hpp"
#include "common/errno_names.hpp"
#include "common/json_checks.hpp"

namespace sockdrill {
namespace {

using checks::describe_type;

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

constexpr std::array<std::string_view, 12> kEventKinds = {
    "listening", "connected", "connect_failed", "accepted", "sent",   "received",
    "eof",       "error",     "timeout",        "closed",   "bind_failed", "exit"};
constexpr std::array<std::string_view, 5> kFlags = {"syn", "ack", "fin", "rst", "psh"};

std::string kind_name(PeerKind k) {
  switch (k) {
    case PeerKind::server: return "a server";
    case PeerKind::client: return "a client";
    case PeerKind::command: return "a command";
    case PeerKind::proxy: return "a proxy";
  }
  return "a peer";
}

bool is_peer_name(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool is_ip_literal(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::string quoted_list(std::initializer_list<std::string_view> items) {
  std::string out;
  for (auto i : items) out += (out.empty() ? "\"" : ", \"") + std::string(i) + "\"";
  return out;
}
template <typename Range>
std::string quoted_list(const Range& items) {
  std::string out;
  for (auto& i : items) out += (out.empty() ? "\"" : ", \"") + std::string(i) + "\"";
  return out;
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

class Checker {
 public:
  Checker(const Json& doc, CaseSpec& spec, CaseCheck& check)
      : doc_(doc), spec_(spec), d_(check.diag), at_key_(check.at_key) {}

  void run() {
    if (!checks::is_object(doc_, "", d_)) return;
    checks::known_keys(doc_, "", d_,
                       {"about", "sysctl", "timeout_ms", "sample_ms", "seed", "peers", "timeline",
                        "expect"});
    check_about();
    if (doc_.contains("sysctl")) check_sysctl(doc_["sysctl"], "/sysctl");
    if (auto v = int_at(doc_, "", "timeout_ms", 1)) spec_.timeout_ms = *v;
    if (auto v = int_at(doc_, "", "sample_ms", 1)) spec_.sample_ms = *v;
    if (auto v = int_at(doc_, "", "seed", 0, kMaxInt64)) spec_.seed = static_cast<std::uint64_t>(*v);
    check_peers();
    if (doc_.contains("timeline")) check_timeline(doc_["timeline"], "/timeline");
    check_cues();
    check_expect();
  }

 private:
  // ---- small helpers ----

  void error(const std::string& ptr, std::string message) { d_.error(ptr, std::move(message)); }
  void key_error(const std::string& ptr, std::string message) {
    at_key_.insert(d_.items().size());
    d_.error(ptr, std::move(message));
  }

  // An optional integer member: its value when present and valid.
  std::optional<std::int64_t> int_at(const Json& obj, const std::string& ptr, const char* key,
                                     std::int64_t min = 0, std::int64_t max = checks::kMaxInt) {
    if (!obj.is_object() || !obj.contains(key)) return std::nullopt;
    const Json& v = obj[key];
    if (!checks::is_int(v, pointer_join(ptr, key), d_, min, max)) return std::nullopt;
    return v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>())
                                   : v.get<std::int64_t>();
  }

  // A string that must be one of `allowed`.
  template <typename Range>
  std::optional<std::string> one_of(const Json& v, const std::string& ptr, const Range& allowed) {
    if (!checks::is_string(v, ptr, d_)) return std::nullopt;
    auto s = v.get<std::string>();
    for (auto& a : allowed)
      if (s == a) return s;
    error(ptr, "expected one of " + quoted_list(allowed) + ", got \"" + s + "\"");
    return std::nullopt;
  }
  std::optional<std::string> one_of(const Json& v, const std::string& ptr,
                                    std::initializer_list<std::string_view> allowed) {
    return one_of<std::initializer_list<std::string_view>>(v, ptr, allowed);
  }

  std::optional<std::string> non_empty_string(const Json& v, const std::string& ptr,
                                              const std::string& what) {
    if (!checks::is_string(v, ptr, d_)) return std::nullopt;
    auto s = v.get<std::string>();
    if (s.empty()) {
      error(ptr, "expected " + what + ", got an empty string");
      return std::nullopt;
    }
    return s;
  }

  std::string peer_list() const {
    std::string out;
    for (auto& [name, kind] : kinds_) out += (out.empty() ? "" : ", ") + name;
    return out.empty() ? "none" : out;
  }

  // A reference to any existing peer.
  bool peer_exists(const std::string& name, const std::string& ptr, const std::string& prefix = "") {
    if (kinds_.count(name)) return true;
    error(ptr, prefix + "no peer named \"" + name + "\" (the peers are: " + peer_list() + ")");
    return false;
  }
  bool peer_ref(const Json& v, const std::string& ptr, std::string* out = nullptr) {
    if (!checks::is_string(v, ptr, d_)) return false;
    if (out) *out = v.get<std::string>();
    return peer_exists(v.get<std::string>(), ptr);
  }

  // MATCH's from/to: a peer whose packets can be told apart on the wire. A command has no
  // address of its own unless it listens (another peer connects to it).
  void wire_peer(const Json& v, const std::string& ptr, std::string* out) {
    std::string name;
    if (!peer_ref(v, ptr, &name)) return;
    *out = name;
    auto kind = kinds_.at(name);
    if (kind && *kind == PeerKind::command && !listened_to_.count(name))
      error(ptr, "peer \"" + name + "\" is a command that no peer connects to: its packets cannot "
                 "be told apart (it has no address of its own); name the peer it talks to instead");
  }

  // A reference to another peer that listens: a server, a proxy, or a command (the runner then
  // waits, before t = 0, until the command's processes hold a listening socket).
  bool listening_peer(const std::string& name, const std::string& ptr, const std::string& self,
                      const std::string& prefix = "") {
    if (!peer_exists(name, ptr, prefix)) return false;
    if (name == self) {
      error(ptr, prefix + "peer \"" + name + "\" is this peer itself; name another peer");
      return false;
    }
    auto kind = kinds_.at(name);
    if (kind && *kind == PeerKind::client) {
      error(ptr, prefix + "peer \"" + name + "\" does not listen (it is " + kind_name(*kind) +
                     "); name a server, a proxy or a command that listens");
      return false;
    }
    listened_to_.insert(name);
    needs_[self].insert(name);
    return true;
  }

  // {PEER.address}, {PEER.port}, {case_dir} and --define names inside a string. In a target
  // (connect.to, proxy.to) anything else in braces is an error. In a command's argv and env it
  // is the program's own text (curl's -w '%{http_code}', a Python dict) and stays as it is,
  // except a whole argv[0] of one unknown {NAME}: a program meant to come from --define.
  enum class Braces { target, program_text, program };
  bool placeholders(const std::string& s, const std::string& ptr, const std::string& self,
                    Braces where = Braces::target) {
    bool ok = true;
    for (std::size_t open = s.find('{'); open != std::string::npos; open = s.find('{', open + 1)) {
      auto close = s.find('}', open);
      if (close == std::string::npos) break;  // a lone '{' is plain text
      std::string inner = s.substr(open + 1, close - open - 1);
      std::string whole = "{" + inner + "}";
      if (inner == "case_dir" || spec_.defines.count(inner)) continue;
      if (where != Braces::target && !is_placeholder_word(inner)) continue;
      std::string peer;
      for (std::string_view suffix : {".address", ".port"})
        if (inner.size() > suffix.size() && inner.ends_with(suffix))
          peer = inner.substr(0, inner.size() - suffix.size());
      if (!peer.empty()) {
        if (!listening_peer(peer, ptr, self, "placeholder \"" + whole + "\": ")) ok = false;
      } else if (where == Braces::target || (where == Braces::program && s == whole)) {
        error(ptr, "unknown placeholder \"" + whole + "\"" +
                       (where == Braces::program ? " as the program" : "") +
                       " (expected {PEER.address}, {PEER.port}, {case_dir}, or a name given with "
                       "--define NAME=VALUE)");
        ok = false;
      }
    }
    return ok;
  }

  // NAME or NAME.FIELD: letters, digits, '_' and '-', starting with a letter or '_'.
  static bool is_placeholder_word(const std::string& inner) {
    if (inner.empty() || !(std::isalpha(static_cast<unsigned char>(inner[0])) || inner[0] == '_'))
      return false;
    return std::all_of(inner.begin(), inner.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
  }

  std::vector<std::string> flags(const Json& v, const std::string& ptr) {
    std::vector<std::string> seen;
    if (!checks::is_array(v, ptr, d_)) return seen;
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto p = pointer_join(ptr, i);
      auto f = one_of(v[i], p, kFlags);
      if (!f) continue;
      if (std::find(seen.begin(), seen.end(), *f) != seen.end())
        error(p, "flag \"" + *f + "\" is listed twice");
      else seen.push_back(*f);
    }
    return seen;
  }

  // MATCH of a fault (with "probability") or of a packets selector (without).
  PacketMatch packet_match(const Json& m, const std::string& p, bool with_probability) {
    PacketMatch match;
    if (!checks::is_object(m, p, d_)) return match;
    if (with_probability) checks::known_keys(m, p, d_, {"from", "to", "flags", "probability"});
    else checks::known_keys(m, p, d_, {"from", "to", "flags"});
    if (m.contains("from")) wire_peer(m["from"], p + "/from", &match.from);
    if (m.contains("to")) wire_peer(m["to"], p + "/to", &match.to);
    if (m.contains("flags")) match.flags = flags(m["flags"], p + "/flags");
    if (with_probability && m.contains("probability") &&
        checks::is_number(m["probability"], p + "/probability", d_, 0.0, 1.0))
      match.probability = m["probability"].get<double>();
    return match;
  }

  // ---- top level ----

  void check_about() {
    if (!checks::has_key(doc_, "", d_, "about")) return;
    const Json& v = doc_["about"];
    if (!checks::is_string(v, "/about", d_)) return;
    spec_.about = v.get<std::string>();
    if (trimmed(spec_.about).empty())
      error("/about", "expected a description of what the case reproduces and why it matters, "
                      "got an empty string");
  }

  void check_sysctl(const Json& v, const std::string& ptr) {
    if (!checks::is_object(v, ptr, d_)) return;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& name = it.key();
      auto p = pointer_join(ptr, name);
      bool name_ok = sysctl_name(name, p);
      std::string value;
      const Json& val = it.value();
      if (val.is_number_integer() || val.is_number_unsigned()) {
        value = val.dump();
      } else if (val.is_string() && val.get<std::string>().find_first_of("\r\n") ==
                                        std::string::npos) {
        value = val.get<std::string>();
      } else {
        error(p, "expected an integer or a string on one line, got " + describe_type(val));
        continue;
      }
      if (name_ok) spec_.sysctl[name] = value;
    }
  }

  bool sysctl_name(const std::string& name, const std::string& p) {
    const std::string shape =
        "expected a sysctl name such as \"net.ipv4.tcp_fin_timeout\", got \"" + name + "\"";
    for (char c : name) {
      bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                     c == '.';
      if (!allowed) {
        std::string shown = c == '/' ? "'/'" : std::string("'") + c + "'";
        key_error(p, shape + " (" + shown + " is not allowed: use a-z, 0-9, '_' and '-' " +
                         "between dots)");
        return false;
      }
    }
    if (!name.starts_with("net.")) {
      key_error(p, shape + " (only \"net.*\" settings belong to the case's network namespace)");
      return false;
    }
    if (name.find("..") != std::string::npos || name.ends_with(".")) {
      key_error(p, shape + " (a part between dots is empty)");
      return false;
    }
    std::string path = "/proc/sys/" + name;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      key_error(p, "no such sysctl \"" + name + "\": " + path + " does not exist on this kernel");
      return false;
    }
    if (S_ISDIR(st.st_mode)) {
      key_error(p, "expected a sysctl, got \"" + name + "\", which is a group of sysctls (" +
                       path + " is a folder)");
      return false;
    }
    return true;
  }

  // ---- peers ----

  void check_peers() {
    if (!checks::has_key(doc_, "", d_, "peers")) return;
    const Json& peers = doc_["peers"];
    if (!checks::is_object(peers, "/peers", d_)) return;
    if (peers.empty()) {
      error("/peers", "expected at least one peer, got an empty object");
      return;
    }
    // Names and kinds first, so any peer can refer to any other regardless of order.
    for (auto it = peers.begin(); it != peers.end(); ++it) {
      std::optional<PeerKind> kind;
      const Json& v = it.value();
      if (v.is_object()) {
        int n = 0;
        for (auto [key, k] : {std::pair{"listen", PeerKind::server},
                              std::pair{"connect", PeerKind::client},
                              std::pair{"command", PeerKind::command},
                              std::pair{"proxy", PeerKind::proxy}})
          if (v.contains(key)) {
            kind = k;
            ++n;
          }
        if (n != 1) kind.reset();
      }
      kinds_[it.key()] = kind;
    }
    for (auto it = peers.begin(); it != peers.end(); ++it) check_peer(it.key(), it.value());
  }

  void check_peer(const std::string& name, const Json& v) {
    auto ptr = pointer_join("/peers", name);
    if (!is_peer_name(name))
      key_error(ptr, "expected a peer name of a-z, 0-9, '_' and '-' starting with a letter "
                     "a-z, got \"" + name + "\"");
    if (!checks::is_object(v, ptr, d_)) return;
    if (!checks::exactly_one_key(v, ptr, d_, {"listen", "connect", "command", "proxy"})) return;

    PeerSpec peer;
    peer.name = name;
    peer.kind = *kinds_.at(name);
    peer.where.pointer = ptr;
    switch (peer.kind) {
      case PeerKind::server:
        checks::known_keys(v, ptr, d_, {"listen", "options", "steps", "on_error", "start_ms"});
        peer.listen = check_listen(v["listen"], ptr + "/listen", name, false);
        break;
      case PeerKind::client:
        checks::known_keys(v, ptr, d_, {"connect", "options", "steps", "on_error", "start_ms"});
        peer.connect = check_connect(v["connect"], ptr + "/connect", name);
        break;
      case PeerKind::command:
        checks::known_keys(v, ptr, d_, {"command", "start_ms"});
        peer.command = check_command(v["command"], ptr + "/command", name);
        break;
      case PeerKind::proxy:
        checks::known_keys(v, ptr, d_, {"proxy", "start_ms"});
        peer.listen = check_proxy(v["proxy"], ptr + "/proxy", name, peer.proxy_to, peer.toxics);
        break;
    }
    if (auto s = int_at(v, ptr, "start_ms", 0)) peer.start_ms = *s;
    if (peer.kind == PeerKind::server || peer.kind == PeerKind::client) {
      behaviors::ParseContext ctx{d_, {}};
      peer.script = behaviors::Script::parse(v, ptr, ctx);
      for (auto& w : ctx.cues_waited) cues_waited_.push_back(w);
    }
    peer.needs = std::move(needs_[name]);
    spec_.peers.push_back(std::move(peer));
  }

  ListenSpec check_listen(const Json& v, const std::string& ptr, const std::string& self,
                          bool for_proxy) {
    ListenSpec listen;
    if (!checks::is_object(v, ptr, d_)) return listen;
    if (for_proxy) checks::known_keys(v, ptr, d_, {"address", "port"});
    else checks::known_keys(v, ptr, d_, {"address", "port", "backlog", "reuseaddr", "accept"});
    if (v.contains("address")) {
      auto p = ptr + "/address";
      if (checks::is_string(v["address"], p, d_)) {
        listen.address = v["address"].get<std::string>();
        if (!is_ip_literal(listen.address))
          error(p, "expected an IPv4 or IPv6 address such as \"127.0.0.1\" or \"::1\", got \"" +
                       listen.address + "\"");
      }
    }
    if (v.contains("port")) listen.port = check_port_ref(v["port"], ptr + "/port", self);
    if (for_proxy) return listen;
    if (auto b = int_at(v, ptr, "backlog", 1)) listen.backlog = static_cast<int>(*b);
    if (v.contains("reuseaddr") && checks::is_bool(v["reuseaddr"], ptr + "/reuseaddr", d_))
      listen.reuseaddr = v["reuseaddr"].get<bool>();
    if (v.contains("accept")) listen.accept = check_accept(v["accept"], ptr + "/accept");
    return listen;
  }

  PortRef check_port_ref(const Json& v, const std::string& ptr, const std::string& self) {
    PortRef port;
    if (v.is_number()) {
      if (checks::is_int(v, ptr, d_, 0, 65535)) port.number = v.get<int>();
      return port;
    }
    if (v.is_string()) {
      auto s = v.get<std::string>();
      if (s.size() > 7 && s.front() == '{' && s.ends_with(".port}")) {
        auto peer = s.substr(1, s.size() - 7);
        if (listening_peer(peer, ptr, self, "placeholder \"" + s + "\": ")) port.peer = peer;
        return port;
      }
    }
    error(ptr, "expected a port: an integer from 0 to 65535 or \"{PEER.port}\", got " +
                   describe_type(v));
    return port;
  }

  AcceptMode check_accept(const Json& v, const std::string& ptr) {
    AcceptMode mode;
    if (v.is_string() && (v == "immediately" || v == "never")) {
      mode.kind = v == "never" ? AcceptMode::never : AcceptMode::immediately;
      return mode;
    }
    if (!v.is_object()) {
      error(ptr, "expected \"immediately\", \"never\", {\"after_ms\": N} or {\"on_cue\": \"NAME\"}, "
                 "got " + describe_type(v));
      return mode;
    }
    checks::known_keys(v, ptr, d_, {"after_ms", "on_cue"});
    if (!checks::exactly_one_key(v, ptr, d_, {"after_ms", "on_cue"})) return mode;
    if (v.contains("after_ms")) {
      mode.kind = AcceptMode::after_ms;
      if (auto n = int_at(v, ptr, "after_ms", 0)) mode.delay_ms = *n;
    } else {
      mode.kind = AcceptMode::on_cue;
      if (auto cue = non_empty_string(v["on_cue"], ptr + "/on_cue", "a cue name")) {
        mode.cue = *cue;
        cues_waited_.emplace_back(*cue, ptr + "/on_cue");
      }
    }
    return mode;
  }

  // connect.to and proxy.to: a peer name, or "ADDRESS:PORT" that may hold placeholders.
  std::string check_target(const Json& v, const std::string& ptr, const std::string& self) {
    if (!checks::is_string(v, ptr, d_)) return "";
    auto s = v.get<std::string>();
    if (s.find_first_of(":[{") == std::string::npos) {
      if (s.empty()) error(ptr, "expected a peer name or \"ADDRESS:PORT\", got \"\"");
      else listening_peer(s, ptr, self);
      return s;
    }
    if (!placeholders(s, ptr, self)) return s;
    std::string host, port;
    if (s.front() == '[') {
      auto close = s.find("]:");
      if (close == std::string::npos) {
        error(ptr, "expected \"[IPV6]:PORT\", got \"" + s + "\"");
        return s;
      }
      host = s.substr(1, close - 1);
      port = s.substr(close + 2);
    } else {
      auto colon = s.rfind(':');
      if (colon == std::string::npos) {
        error(ptr, "expected \"ADDRESS:PORT\" or a peer name, got \"" + s + "\" (no \":PORT\")");
        return s;
      }
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
      if (host.find(':') != std::string::npos) {
        error(ptr, "expected an IPv6 address in brackets, as in \"[::1]:8080\", got \"" + s + "\"");
        return s;
      }
    }
    if (host.find('{') == std::string::npos && !is_ip_literal(host))
      error(ptr, "expected an IPv4 or IPv6 address before the port, got \"" + host + "\" in \"" +
                     s + "\"");
    if (port.find('{') == std::string::npos) {
      bool digits = !port.empty() && port.size() <= 5 &&
                    std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || std::stoi(port) > 65535)
        error(ptr, "expected a port from 0 to 65535 after the last ':', got \"" + port +
                       "\" in \"" + s + "\"");
    }
    return s;
  }

  ConnectSpec check_connect(const Json& v, const std::string& ptr, const std::string& self) {
    ConnectSpec c;
    if (!checks::is_object(v, ptr, d_)) return c;
    checks::known_keys(v, ptr, d_, {"to", "count", "interval_ms", "timeout_ms"});
    if (checks::has_key(v, ptr, d_, "to")) c.to = check_target(v["to"], ptr + "/to", self);
    if (auto n = int_at(v, ptr, "count", 1)) c.count = static_cast<int>(*n);
    if (auto n = int_at(v, ptr, "interval_ms", 0)) c.interval_ms = *n;
    if (auto n = int_at(v, ptr, "timeout_ms", 1)) c.timeout_ms = *n;
    return c;
  }

  CommandSpec check_command(const Json& v, const std::string& ptr, const std::string& self) {
    CommandSpec c;
    if (!checks::is_object(v, ptr, d_)) return c;
    checks::known_keys(v, ptr, d_, {"argv", "env", "exit_code"});
    if (checks::has_key(v, ptr, d_, "argv") && checks::is_array(v["argv"], ptr + "/argv", d_)) {
      const Json& argv = v["argv"];
      if (argv.empty())
        error(ptr + "/argv", "expected the program and its arguments, got an empty array");
      for (std::size_t i = 0; i < argv.size(); ++i) {
        auto p = pointer_join(ptr + "/argv", i);
        if (!checks::is_string(argv[i], p, d_)) continue;
        auto arg = argv[i].get<std::string>();
        if (i == 0 && arg.empty()) error(p, "expected the program to run, got an empty string");
        placeholders(arg, p, self, i == 0 ? Braces::program : Braces::program_text);
        c.argv.push_back(arg);
      }
    }
    if (v.contains("env") && checks::is_object(v["env"], ptr + "/env", d_)) {
      const Json& env = v["env"];
      for (auto it = env.begin(); it != env.end(); ++it) {
        auto p = pointer_join(ptr + "/env", it.key());
        if (it.key().empty() || it.key().find('=') != std::string::npos)
          key_error(p, "expected an environment variable name without '=', got \"" + it.key() + "\"");
        if (!checks::is_string(it.value(), p, d_)) continue;
        placeholders(it.value().get<std::string>(), p, self, Braces::program_text);
        c.env[it.key()] = it.value().get<std::string>();
      }
    }
    if (auto n = int_at(v, ptr, "exit_code", 0, 255)) c.exit_code = static_cast<int>(*n);
    return c;
  }

  ListenSpec check_proxy(const Json& v, const std::string& ptr, const std::string& self,
                         std::string& to, std::vector<behaviors::ToxicSpec>& parsed) {
    ListenSpec listen;
    if (!checks::is_object(v, ptr, d_)) return listen;
    checks::known_keys(v, ptr, d_, {"listen", "to", "toxics"});
    if (v.contains("listen")) listen = check_listen(v["listen"], ptr + "/listen", self, true);
    if (checks::has_key(v, ptr, d_, "to")) to = check_target(v["to"], ptr + "/to", self);
    auto& names = proxy_toxics_[self];
    if (v.contains("toxics") && checks::is_array(v["toxics"], ptr + "/toxics", d_)) {
      const Json& toxics = v["toxics"];
      for (std::size_t i = 0; i < toxics.size(); ++i) {
        auto p = pointer_join(ptr + "/toxics", i);
        auto toxic = check_toxic(toxics[i], p);
        if (!toxic) continue;
        if (std::find(names.begin(), names.end(), toxic->name) != names.end())
          error(p + "/name", "toxic name \"" + toxic->name + "\" is used twice in this proxy; "
                                 "give each toxic its own name");
        else names.push_back(toxic->name);
        parsed.push_back(std::move(*toxic));
      }
    }
    return listen;
  }

  std::optional<behaviors::ToxicSpec> check_toxic(const Json& v, const std::string& ptr) {
    behaviors::ParseContext ctx{d_, {}};
    return behaviors::parse_toxic(v, ptr, ctx);
  }

  // ---- timeline ----

  void check_timeline(const Json& v, const std::string& ptr) {
    if (!checks::is_array(v, ptr, d_)) return;
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto p = pointer_join(ptr, i);
      const Json& e = v[i];
      if (!checks::is_object(e, p, d_)) continue;
      checks::known_keys(e, p, d_, {"at_ms", "cue", "kill", "signal", "fault", "toxic"});
      TimelineEntry entry;
      entry.where.pointer = p;
      bool ok = checks::has_key(e, p, d_, "at_ms");
      if (auto at = int_at(e, p, "at_ms", 0)) entry.at_ms = *at;
      else ok = false;
      if (e.contains("signal") && !e.contains("kill"))
        error(p + "/signal", "\"signal\" goes only with \"kill\"");
      if (!checks::exactly_one_key(e, p, d_, {"cue", "kill", "fault", "toxic"})) continue;
      if (e.contains("cue")) {
        entry.kind = TimelineEntry::Kind::cue;
        auto cue = non_empty_string(e["cue"], p + "/cue", "a cue name");
        if (cue) {
          entry.cue_name = *cue;
          cues_given_.insert(*cue);
        }
        ok = ok && cue;
      } else if (e.contains("kill")) {
        entry.kind = TimelineEntry::Kind::kill;
        ok = peer_ref(e["kill"], p + "/kill", &entry.peer) && ok;
        if (e.contains("signal")) {
          auto sig = one_of(e["signal"], p + "/signal", {"TERM", "KILL"});
          if (sig) entry.signal = *sig == "KILL" ? 9 : 15;
          ok = ok && sig;
        }
      } else if (e.contains("fault")) {
        entry.kind = TimelineEntry::Kind::fault;
        entry.written = e["fault"];
        ok = check_fault(e["fault"], p + "/fault", entry.fault) && ok;
      } else {
        entry.kind = TimelineEntry::Kind::toxic;
        entry.written = e["toxic"];
        ok = check_toxic_change(e["toxic"], p + "/toxic", entry.toxic) && ok;
      }
      if (ok) spec_.timeline.push_back(std::move(entry));
    }
    std::stable_sort(spec_.timeline.begin(), spec_.timeline.end(),
                     [](const TimelineEntry& a, const TimelineEntry& b) { return a.at_ms < b.at_ms; });
    int faults = 0;
    for (auto& entry : spec_.timeline)
      if (entry.kind == TimelineEntry::Kind::fault && entry.fault.action != FaultSpec::clear)
        entry.fault_number = faults++;
    replay_toxic_changes();
  }

  bool check_fault(const Json& v, const std::string& ptr, FaultSpec& fault) {
    std::size_t before = d_.items().size();
    if (!checks::is_object(v, ptr, d_)) return false;
    checks::known_keys(v, ptr, d_, {"drop", "reject", "clear"});
    if (!checks::exactly_one_key(v, ptr, d_, {"drop", "reject", "clear"})) return false;
    if (v.contains("clear")) {
      fault.action = FaultSpec::clear;
      if (v["clear"] != true)
        error(ptr + "/clear", "expected true (\"clear\": true removes every fault), got " +
                                  describe_type(v["clear"]));
    } else {
      fault.action = v.contains("drop") ? FaultSpec::drop : FaultSpec::reject;
      const char* key = fault.action == FaultSpec::drop ? "drop" : "reject";
      fault.match = packet_match(v[key], ptr + "/" + key, true);
    }
    return d_.items().size() == before;
  }

  bool check_toxic_change(const Json& v, const std::string& ptr, ToxicChange& change) {
    std::size_t before = d_.items().size();
    if (!checks::is_object(v, ptr, d_)) return false;
    checks::known_keys(v, ptr, d_, {"proxy", "add", "remove"});
    if (checks::has_key(v, ptr, d_, "proxy")) {
      std::string& proxy = change.proxy;
      if (peer_ref(v["proxy"], ptr + "/proxy", &proxy)) {
        auto kind = kinds_.at(proxy);
        if (kind && *kind != PeerKind::proxy)
          error(ptr + "/proxy", "peer \"" + proxy + "\" is not a proxy (it is " +
                                    kind_name(*kind) + "); toxics belong to proxy peers");
      }
    }
    if (checks::exactly_one_key(v, ptr, d_, {"add", "remove"})) {
      if (v.contains("add")) {
        change.add = check_toxic(v["add"], ptr + "/add");
      } else if (auto name = non_empty_string(v["remove"], ptr + "/remove", "the name of a toxic to remove")) {
        change.remove = *name;
      }
    }
    return d_.items().size() == before;
  }

  // Walks the valid toxic changes in time order: add only a new name, remove only a present one.
  void replay_toxic_changes() {
    auto names = proxy_toxics_;
    for (auto& e : spec_.timeline) {
      if (e.kind != TimelineEntry::Kind::toxic) continue;
      const auto& proxy = e.toxic.proxy;
      auto& list = names[proxy];
      auto when = " at " + std::to_string(e.at_ms) + " ms";
      if (e.toxic.add) {
        const std::string& name = e.toxic.add->name;
        if (std::find(list.begin(), list.end(), name) != list.end())
          error(e.where.pointer + "/toxic/add/name",
                "proxy \"" + proxy + "\" already has a toxic named \"" + name + "\"" + when +
                    "; remove it first or choose another name");
        else list.push_back(name);
      } else {
        const auto& name = e.toxic.remove;
        auto it = std::find(list.begin(), list.end(), name);
        if (it == list.end()) {
          std::string have;
          for (auto& n : list) have += (have.empty() ? "" : ", ") + n;
          error(e.where.pointer + "/toxic/remove",
                "proxy \"" + proxy + "\" has no toxic named \"" + name + "\"" + when +
                    " (it has: " + (have.empty() ? "none" : have) + ")");
        } else {
          list.erase(it);
        }
      }
    }
  }

  void check_cues() {
    for (auto& [cue, ptr] : cues_waited_)
      if (!cues_given_.count(cue))
        error(ptr, "cue \"" + cue + "\" is never given: add {\"at_ms\": N, \"cue\": \"" + cue +
                       "\"} to the timeline");
  }

  // ---- expect ----

  void check_expect() {
    if (!checks::has_key(doc_, "", d_, "expect")) return;
    const Json& v = doc_["expect"];
    if (!checks::is_array(v, "/expect", d_)) return;
    if (v.empty()) error("/expect", "expected at least one expectation, got an empty array");
    for (std::size_t i = 0; i < v.size(); ++i) check_expectation(v[i], pointer_join("/expect", i));
  }

  void check_expectation(const Json& v, const std::string& ptr) {
    std::size_t before = d_.items().size();
    if (!checks::is_object(v, ptr, d_)) return;
    checks::known_keys(v, ptr, d_,
                       {"sockets", "events", "bytes", "packets", "count", "by_ms", "from_ms",
                        "until_ms"});
    Expectation x;
    x.where.pointer = ptr;
    x.text = v.dump();
    if (checks::exactly_one_key(v, ptr, d_, {"sockets", "events", "bytes", "packets"})) {
      if (v.contains("sockets")) check_sockets(v["sockets"], ptr + "/sockets", x.selector);
      else if (v.contains("events")) check_events(v["events"], ptr + "/events", x.selector);
      else if (v.contains("bytes")) check_bytes(v["bytes"], ptr + "/bytes", x.selector);
      else check_packets(v["packets"], ptr + "/packets", x.selector);
    }
    if (checks::has_key(v, ptr, d_, "count")) x.count = check_count(v["count"], ptr + "/count");
    check_window(v, ptr, x);
    if (d_.items().size() == before) spec_.expect.push_back(std::move(x));
  }

  void check_sockets(const Json& v, const std::string& ptr, Selector& s) {
    s.kind = Selector::sockets;
    if (!checks::is_object(v, ptr, d_)) return;
    checks::known_keys(v, ptr, d_, {"peer", "state"});
    if (checks::has_key(v, ptr, d_, "peer")) peer_ref(v["peer"], ptr + "/peer", &s.peer);
    if (!checks::has_key(v, ptr, d_, "state")) return;
    const Json& st = v["state"];
    auto p = ptr + "/state";
    if (st.is_array()) {
      if (st.empty()) error(p, "expected at least one TCP state, got an empty array");
      for (std::size_t i = 0; i < st.size(); ++i) {
        auto state = tcp_state(st[i], pointer_join(p, i));
        if (!state) continue;
        if (std::find(s.states.begin(), s.states.end(), *state) != s.states.end())
          error(pointer_join(p, i), "state " + st[i].get<std::string>() + " is listed twice");
        else s.states.push_back(*state);
      }
    } else if (st.is_string()) {
      if (auto state = tcp_state(st, p)) s.states.push_back(*state);
    } else {
      error(p, "expected a TCP state name or an array of them, got " + describe_type(st));
    }
  }

  std::optional<TcpState> tcp_state(const Json& v, const std::string& ptr) {
    if (!checks::is_string(v, ptr, d_)) return std::nullopt;
    if (auto s = tcp_state_from_name(v.get<std::string>())) return s;
    std::string names;
    for (auto s : kAllTcpStates) names += (names.empty() ? "" : " ") + std::string(tcp_state_name(s));
    error(ptr, "expected a TCP state (" + names + "), got \"" + v.get<std::string>() + "\"");
    return std::nullopt;
  }

  void check_events(const Json& v, const std::string& ptr, Selector& s) {
    s.kind = Selector::events;
    if (!checks::is_object(v, ptr, d_)) return;
    checks::known_keys(v, ptr, d_, {"peer", "kind", "errno", "code"});
    if (checks::has_key(v, ptr, d_, "peer")) peer_ref(v["peer"], ptr + "/peer", &s.peer);
    std::optional<std::string> kind;
    if (checks::has_key(v, ptr, d_, "kind")) kind = one_of(v["kind"], ptr + "/kind", kEventKinds);
    if (kind) s.event_kind = *kind;
    if (kind && *kind != "exit" && !s.peer.empty() && kinds_.count(s.peer) &&
        kinds_.at(s.peer) == PeerKind::command)
      error(ptr + "/kind", "peer \"" + s.peer + "\" is a command: sockdrill sees its sockets and its "
                           "exit, not its calls, so its only events are \"exit\"; use a sockets or "
                           "bytes expectation for it, or events of the peer it talks to");
    if (v.contains("errno") && checks::is_string(v["errno"], ptr + "/errno", d_)) {
      auto name = v["errno"].get<std::string>();
      if (!errno_from_name(name))
        error(ptr + "/errno", "expected a symbolic errno name such as ECONNRESET, EPIPE, "
                              "ETIMEDOUT or ECONNREFUSED, got \"" + name + "\"");
      else if (kind && *kind != "error" && *kind != "connect_failed" && *kind != "bind_failed")
        error(ptr + "/errno", "events of kind \"" + *kind + "\" carry no errno; only error, "
                              "connect_failed and bind_failed do");
      else s.errno_name = name;
    }
    if (v.contains("code")) {
      if (auto c = int_at(v, ptr, "code", 0)) {
        if (kind && *kind != "exit")
          error(ptr + "/code", "events of kind \"" + *kind + "\" carry no code; only exit does");
        else s.code = static_cast<int>(*c);
      }
    }
  }

  void check_bytes(const Json& v, const std::string& ptr, Selector& s) {
    s.kind = Selector::bytes;
    if (!checks::is_object(v, ptr, d_)) return;
    checks::known_keys(v, ptr, d_, {"peer", "dir"});
    if (checks::has_key(v, ptr, d_, "peer")) peer_ref(v["peer"], ptr + "/peer", &s.peer);
    if (checks::has_key(v, ptr, d_, "dir"))
      if (auto dir = one_of(v["dir"], ptr + "/dir", {"received", "sent"})) s.dir_sent = *dir == "sent";
  }

  void check_packets(const Json& v, const std::string& ptr, Selector& s) {
    s.kind = Selector::packets;
    s.packet_match = packet_match(v, ptr, false);
  }

  Quantity check_count(const Json& v, const std::string& ptr) {
    Quantity q;
    if (v.is_number()) {
      if (checks::is_int(v, ptr, d_, 0)) q.min = q.max = v.get<std::int64_t>();
      return q;
    }
    if (!v.is_object()) {
      error(ptr, "expected a count: an integer or {\"min\": A, \"max\": B}, got " + describe_type(v));
      return q;
    }
    const bool known = checks::known_keys(v, ptr, d_, {"min", "max"});
    if (known && !v.contains("min") && !v.contains("max"))
      error(ptr, "expected \"min\", \"max\" or both, got an object with neither (such a count "
                 "would hold for any value)");
    q.min = int_at(v, ptr, "min", 0);
    q.max = int_at(v, ptr, "max", 0);
    if (q.min && q.max && *q.min > *q.max)
      error(ptr, "expected \"min\" (" + std::to_string(*q.min) + ") to be at most \"max\" (" +
                     std::to_string(*q.max) + ")");
    return q;
  }

  void check_window(const Json& v, const std::string& ptr, Expectation& x) {
    bool by = v.contains("by_ms"), from = v.contains("from_ms"), until = v.contains("until_ms");
    x.by_ms = int_at(v, ptr, "by_ms", 0);
    x.from_ms = int_at(v, ptr, "from_ms", 0);
    x.until_ms = int_at(v, ptr, "until_ms", 0);
    if (by && (from || until)) {
      error(ptr, "expected one time window, \"by_ms\" or \"from_ms\" with \"until_ms\", "
                 "found both forms");
    } else if (!by && !from && !until) {
      error(ptr, "expected a time window: \"by_ms\" (eventually) or \"from_ms\" with "
                 "\"until_ms\" (always), found none");
    } else if (from != until) {
      error(ptr, std::string("expected \"from_ms\" and \"until_ms\" together (both or neither), "
                             "found only \"") + (from ? "from_ms" : "until_ms") + "\"");
    } else if (x.from_ms && x.until_ms && *x.from_ms > *x.until_ms) {
      error(ptr + "/until_ms", "expected \"until_ms\" (" + std::to_string(*x.until_ms) +
                                   ") to be at least \"from_ms\" (" + std::to_string(*x.from_ms) +
                                   ")");
    }
  }

  const Json& doc_;
  CaseSpec& spec_;
  Diagnostics& d_;
  std::set<std::size_t>& at_key_;
  std::map<std::string, std::optional<PeerKind>> kinds_;  // kind unknown when not exactly one
  std::vector<std::pair<std::string, std::string>> cues_waited_;  // (cue, pointer of the wait)
  std::set<std::string> cues_given_;
  std::map<std::string, std::vector<std::string>> proxy_toxics_;  // initial toxics per proxy
  std::set<std::string> listened_to_;  // peers that others connect to or name as {PEER.port}
  std::map<std::string, std::set<std::string>> needs_;  // per peer: its PeerSpec::needs
};

}  // namespace

void check_case_document(const Json& doc, CaseSpec& spec, CaseCheck& check) {
  Checker(doc, spec, check).run();
}

}  // namespace sockdrill
