// The case checker's top level: the document's keys, about, the numbers, and sysctls.
#include <algorithm>
#include <limits>

#include "harness/case/case_checker.hpp"
#include "harness/case/namespace_sysctls.hpp"

namespace sockdrill {

namespace {
std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}
}  // namespace

void CaseChecker::run() {
  if (!checks::is_object(doc_, "", d_)) return;
  checks::known_keys(doc_, "", d_,
                     {"about", "sysctl", "timeout_ms", "sample_ms", "seed", "peers", "timeline", "expect",
                      "$schema"});
  // For editors: where the file's JSON Schema is (cases/schema.json); sockdrill only reads it.
  if (doc_.contains("$schema")) non_empty_string(doc_["$schema"], "/$schema", "the path or URL of a JSON Schema");
  check_about();
  if (doc_.contains("sysctl")) check_sysctl(doc_["sysctl"], "/sysctl");
  if (auto v = int_at(doc_, "", "timeout_ms", 1)) spec_.timeout_ms = *v;
  if (auto v = int_at(doc_, "", "sample_ms", 1)) spec_.sample_ms = *v;
  if (auto v = int_at(doc_, "", "seed", 0, std::numeric_limits<std::int64_t>::max()))
    spec_.seed = static_cast<std::uint64_t>(*v);
  check_peers();
  if (doc_.contains("timeline")) check_timeline(doc_["timeline"], "/timeline");
  check_cues();
  check_expect();
  if (d_.ok()) check_runnable();
}

void CaseChecker::check_about() {
  if (!checks::has_key(doc_, "", d_, "about")) return;
  const Json& v = doc_["about"];
  if (!checks::is_string(v, "/about", d_)) return;
  spec_.about = v.get<std::string>();
  if (trimmed(spec_.about).empty())
    error("/about", "expected a description of what the case reproduces and why it matters, "
                    "got an empty string");
}

void CaseChecker::check_sysctl(const Json& v, const std::string& ptr) {
  if (!checks::is_object(v, ptr, d_)) return;
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& name = it.key();
    auto p = pointer_join(ptr, name);
    const bool name_ok = sysctl_name(name, p);
    std::string value;
    const Json& val = it.value();
    if (val.is_number_integer() || val.is_number_unsigned()) {
      value = val.dump();
    } else if (val.is_string() && val.get<std::string>().find_first_of(std::string("\r\n\0", 3)) ==
                                      std::string::npos) {
      value = val.get<std::string>();
    } else {
      error(p, "expected an integer or a string on one line, got " + checks::describe_type(val));
      continue;
    }
    if (!name_ok) continue;
    spec_.sysctl[name] = value;
    sysctl_pointers_.emplace_back(name, p);
  }
  sysctls_of_a_namespace();
}

// The shape of a name; whether the case's namespace has it is sysctls_of_a_namespace's.
bool CaseChecker::sysctl_name(const std::string& name, const std::string& p) {
  const std::string shape =
      "expected a sysctl name such as \"net.ipv4.tcp_fin_timeout\", got \"" + name + "\"";
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!allowed) {
      std::string shown = c == '/' ? "'/'" : std::string("'") + c + "'";
      key_error(p, shape + " (" + shown + " is not allowed: use a-z, 0-9, '_' and '-' between dots)");
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
  return true;
}

// Every sysctl must be one a fresh network namespace can set, as the case's will be.
void CaseChecker::sysctls_of_a_namespace() {
  std::vector<std::string> names;
  for (auto& [name, ptr] : sysctl_pointers_) names.push_back(name);
  const auto places = sysctl_places(names);
  for (auto& [name, ptr] : sysctl_pointers_) {
    std::string path = "/proc/sys/" + name;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    switch (places.at(name)) {
      case SysctlPlace::settable: continue;
      case SysctlPlace::missing:
        key_error(ptr, "no such sysctl \"" + name + "\": " + path + " does not exist on this kernel");
        break;
      case SysctlPlace::group:
        key_error(ptr, "expected a sysctl, got \"" + name + "\", which is a group of sysctls (" +
                           path + " is a folder)");
        break;
      case SysctlPlace::host_only:
        key_error(ptr, "sysctl \"" + name + "\" exists only in the host's network namespace, not "
                       "in a case's own: a case cannot set it");
        break;
      case SysctlPlace::read_only:
        key_error(ptr, "sysctl \"" + name + "\" is read-only inside a network namespace (the "
                       "kernel keeps one value for the whole machine): a case cannot set it");
        break;
    }
    spec_.sysctl.erase(name);
  }
}

}  // namespace sockdrill
