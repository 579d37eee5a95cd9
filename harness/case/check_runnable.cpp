// What is valid case JSON but could never run as written: refused before anything starts.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <functional>
#include <map>

#include "harness/case/case_checker.hpp"
#include "harness/case/placeholders.hpp"

namespace fs = std::filesystem;

namespace sockdrill {

void CaseChecker::check_runnable() {
  windows_end_in_time();
  peers_can_start();
  if (look_at_files_) programs_exist();
}

// A window must end by timeout_ms, and be long enough for one read of the kernel's table.
void CaseChecker::windows_end_in_time() {
  for (const Expectation& x : spec_.expect) {
    const bool by = x.by_ms.has_value();
    const std::int64_t end = by ? *x.by_ms : *x.until_ms;
    const std::string at = x.where.pointer + (by ? "/by_ms" : "/until_ms");
    if (end > spec_.timeout_ms)
      error(at, "the window ends at " + std::to_string(end) + " ms, after timeout_ms (" +
                    std::to_string(spec_.timeout_ms) + " ms), when the case is ended: end it "
                    "sooner or raise timeout_ms");
    else if (!by && end == spec_.timeout_ms)
      error(at, "the window ends at timeout_ms (" + std::to_string(end) + " ms): an always window "
                "holds once an observation after it is read, and the case is ended first; end it "
                "sooner or raise timeout_ms");
    else if (by ? end == 0 : *x.from_ms == end)
      error(at, std::string("a window of 0 ms cannot be observed: every read of the kernel takes "
                            "time, so none lies within it; ") +
                    (by ? "use by_ms 1 or more" : "make until_ms larger than from_ms"));
  }
}

// Peers start in the order their references need: no cycle, and none before a peer it needs.
void CaseChecker::peers_can_start() {
  auto start_of = [&](const PeerSpec& p) { return p.start_ms.value_or(-1); };
  std::map<std::string, int> state;  // 1 on the path being walked, 2 done
  std::vector<std::string> path;
  std::function<bool(const PeerSpec&)> walk = [&](const PeerSpec& p) {
    state[p.name] = 1;
    path.push_back(p.name);
    for (const std::string& need : p.needs) {
      const PeerSpec* n = spec_.find_peer(need);
      if (!n) continue;
      if (state[need] == 1) {
        std::string cycle;
        for (auto it = std::find(path.begin(), path.end(), need); it != path.end(); ++it)
          cycle += *it + " -> ";
        error(p.where.pointer, "peers " + cycle + need + " each need another's port first: none "
                               "of them can start; break the cycle");
        return false;
      }
      if (state[need] == 0 && !walk(*n)) return false;
    }
    path.pop_back();
    state[p.name] = 2;
    return true;
  };
  for (const PeerSpec& p : spec_.peers)
    if (state[p.name] == 0 && !walk(p)) return;
  for (const PeerSpec& p : spec_.peers)
    for (const std::string& need : p.needs)
      if (const PeerSpec* n = spec_.find_peer(need); n && start_of(*n) > start_of(p))
        error(p.where.pointer, "peer \"" + p.name + "\" starts " +
                                   (p.start_ms ? "at " + std::to_string(*p.start_ms) + " ms"
                                               : std::string("before t = 0")) +
                                   " but needs peer \"" + need + "\", which starts at " +
                                   std::to_string(*n->start_ms) + " ms: give \"" + p.name +
                                   "\" a start_ms of at least " + std::to_string(*n->start_ms));
}

// A command's program, and the files it is given as {case_dir}/..., must be there.
void CaseChecker::programs_exist() {
  const std::string case_dir = case_dir_of(spec_.file);
  PlaceholderValues values;
  values.case_dir = case_dir;
  values.defines = &spec_.defines;
  auto resolved = [&](const std::string& s) -> std::optional<std::string> {
    for (const PlaceholderPart& part : split_placeholders(s, spec_.defines))
      if (part.kind == PlaceholderPart::peer_address || part.kind == PlaceholderPart::peer_port)
        return std::nullopt;  // known only when the peer listens
    std::string problem;
    return resolve_placeholders(s, values, problem);
  };
  for (const PeerSpec& p : spec_.peers) {
    if (!p.command || p.command->argv.empty()) continue;
    const std::string argv_ptr = p.where.pointer + "/command/argv";
    if (auto program = resolved(p.command->argv[0])) {
      std::string found;
      if (program->find('/') != std::string::npos) {
        found = *program;
      } else {
        const char* path = std::getenv("PATH");
        const std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
        for (std::size_t start = 0; start <= dirs.size() && found.empty();) {
          std::size_t colon = dirs.find(':', start);
          if (colon == std::string::npos) colon = dirs.size();
          const std::string candidate = (colon == start ? std::string(".") : dirs.substr(start, colon - start)) + "/" + *program;
          if (::access(candidate.c_str(), X_OK) == 0) found = candidate;
          start = colon + 1;
        }
        if (found.empty()) {
          error(argv_ptr + "/0", "program \"" + *program + "\" is not found in PATH (" + dirs + ")");
          continue;
        }
      }
      std::error_code ec;
      if (!fs::exists(found, ec))
        error(argv_ptr + "/0", "program \"" + found + "\" does not exist");
      else if (fs::is_directory(found, ec) || ::access(found.c_str(), X_OK) != 0)
        error(argv_ptr + "/0", "program \"" + found + "\" is not an executable file");
    }
    auto file_named = [&](const std::string& s, const std::string& ptr) {
      if (!s.starts_with("{case_dir}/")) return;
      auto path = resolved(s);
      std::error_code ec;
      if (path && !fs::exists(*path, ec))
        error(ptr, "file \"" + *path + "\" does not exist (named as " + s + ")");
    };
    for (std::size_t i = 1; i < p.command->argv.size(); ++i)
      file_named(p.command->argv[i], pointer_join(argv_ptr, i));
    for (auto& [key, value] : p.command->env)
      file_named(value, pointer_join(p.where.pointer + "/command/env", key));
  }
}

}  // namespace sockdrill
