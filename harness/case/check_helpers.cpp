// The small rules every part of the case checker uses: references, placeholders, MATCH.
#include <algorithm>
#include <array>

#include "harness/case/case_checker.hpp"
#include "harness/case/placeholders.hpp"

namespace sockdrill {

namespace {
constexpr std::array<std::string_view, 5> kFlags = {"syn", "ack", "fin", "rst", "psh"};
}  // namespace

std::string kind_name(PeerKind k) {
  switch (k) {
    case PeerKind::server: return "a server";
    case PeerKind::client: return "a client";
    case PeerKind::command: return "a command";
    case PeerKind::proxy: return "a proxy";
  }
  return "a peer";
}

void CaseChecker::key_error(const std::string& ptr, std::string message) {
  at_key_.insert(d_.items().size());
  d_.error(ptr, std::move(message));
}

std::optional<std::int64_t> CaseChecker::int_at(const Json& obj, const std::string& ptr,
                                                const char* key, std::int64_t min,
                                                std::int64_t max) {
  if (!obj.is_object() || !obj.contains(key)) return std::nullopt;
  const Json& v = obj[key];
  if (!checks::is_int(v, pointer_join(ptr, key), d_, min, max)) return std::nullopt;
  return v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>())
                                : v.get<std::int64_t>();
}

std::optional<std::string> CaseChecker::one_of(const Json& v, const std::string& ptr,
                                               std::initializer_list<std::string_view> allowed) {
  return checks::one_of(v, ptr, d_, allowed);
}

std::optional<std::string> CaseChecker::non_empty_string(const Json& v, const std::string& ptr,
                                                         const std::string& what) {
  return checks::non_empty_string(v, ptr, d_, what);
}

std::string CaseChecker::peer_list() const {
  std::string out;
  for (auto& [name, kind] : kinds_) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

bool CaseChecker::peer_exists(const std::string& name, const std::string& ptr,
                              const std::string& prefix) {
  if (kinds_.count(name)) return true;
  error(ptr, prefix + "no peer named \"" + name + "\" (the peers are: " + peer_list() + ")");
  return false;
}

bool CaseChecker::peer_ref(const Json& v, const std::string& ptr, std::string* out) {
  if (!checks::is_string(v, ptr, d_)) return false;
  if (out) *out = v.get<std::string>();
  return peer_exists(v.get<std::string>(), ptr);
}

// A command has no address of its own unless it listens (another peer connects to it).
void CaseChecker::wire_peer(const Json& v, const std::string& ptr, std::string* out) {
  std::string name;
  if (!peer_ref(v, ptr, &name)) return;
  *out = name;
  auto kind = kinds_.at(name);
  if (kind && *kind == PeerKind::command && !listened_to_.count(name))
    error(ptr, "peer \"" + name + "\" is a command that no peer connects to: its packets cannot "
               "be told apart (it has no address of its own); name the peer it talks to instead");
}

// A server, a proxy, or a command (the runner then waits, before t = 0, until the command's
// processes hold a listening socket).
bool CaseChecker::listening_peer(const std::string& name, const std::string& ptr,
                                 const std::string& self, const std::string& prefix) {
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

// In a target (connect.to, proxy.to) every word in braces must be a placeholder. In a command's
// argv and env, braces are the program's own text (curl's -w '%{http_code}', a Python dict)
// unless they name a peer, except a whole argv[0] of one unknown {NAME}: a program meant to
// come from --define.
bool CaseChecker::placeholders(const std::string& s, const std::string& ptr, const std::string& self,
                               Braces where) {
  bool ok = true;
  for (const PlaceholderPart& part : split_placeholders(s, spec_.defines)) {
    const std::string whole = "{" + part.value + "}";
    switch (part.kind) {
      case PlaceholderPart::peer_address:
      case PlaceholderPart::peer_port:
        if (!listening_peer(part.peer, ptr, self, "placeholder \"" + whole + "\": ")) ok = false;
        break;
      case PlaceholderPart::word:
        if (where == Braces::target || (where == Braces::program && s == whole)) {
          error(ptr, "unknown placeholder \"" + whole + "\"" +
                         (where == Braces::program ? " as the program" : "") +
                         " (expected {PEER.address}, {PEER.port}, {case_dir}, or a name given with "
                         "--define NAME=VALUE)");
          ok = false;
        }
        break;
      case PlaceholderPart::text:
        if (where == Braces::target && part.value.find('{') != std::string::npos) {
          error(ptr, "unknown placeholder in \"" + s + "\" (expected {PEER.address}, {PEER.port}, "
                     "{case_dir}, or a name given with --define NAME=VALUE)");
          ok = false;
        }
        break;
      case PlaceholderPart::case_dir:
      case PlaceholderPart::define:
        break;
    }
  }
  return ok;
}

std::vector<std::string> CaseChecker::flags(const Json& v, const std::string& ptr) {
  std::vector<std::string> seen;
  if (!checks::is_array(v, ptr, d_)) return seen;
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto p = pointer_join(ptr, i);
    auto f = checks::one_of(v[i], p, d_, kFlags);
    if (!f) continue;
    if (std::find(seen.begin(), seen.end(), *f) != seen.end())
      error(p, "flag \"" + *f + "\" is listed twice");
    else seen.push_back(*f);
  }
  return seen;
}

PacketMatch CaseChecker::packet_match(const Json& m, const std::string& p, bool with_probability) {
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

}  // namespace sockdrill
