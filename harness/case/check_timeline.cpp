// The case checker's timeline: cues, kills, faults and toxic changes, in time order.
#include <algorithm>

#include "harness/case/case_checker.hpp"

namespace sockdrill {

void CaseChecker::check_timeline(const Json& v, const std::string& ptr) {
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

bool CaseChecker::check_fault(const Json& v, const std::string& ptr, FaultSpec& fault) {
  std::size_t before = d_.items().size();
  if (!checks::is_object(v, ptr, d_)) return false;
  checks::known_keys(v, ptr, d_, {"drop", "reject", "clear"});
  if (!checks::exactly_one_key(v, ptr, d_, {"drop", "reject", "clear"})) return false;
  if (v.contains("clear")) {
    fault.action = FaultSpec::clear;
    if (v["clear"] != true)
      error(ptr + "/clear", "expected true (\"clear\": true removes every fault), got " +
                                checks::describe_type(v["clear"]));
  } else {
    fault.action = v.contains("drop") ? FaultSpec::drop : FaultSpec::reject;
    const char* key = fault.action == FaultSpec::drop ? "drop" : "reject";
    fault.match = packet_match(v[key], ptr + "/" + key, true);
  }
  return d_.items().size() == before;
}

bool CaseChecker::check_toxic_change(const Json& v, const std::string& ptr, ToxicChange& change) {
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
void CaseChecker::replay_toxic_changes() {
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

void CaseChecker::check_cues() {
  for (auto& [cue, ptr] : cues_waited_)
    if (!cues_given_.count(cue))
      error(ptr, "cue \"" + cue + "\" is never given: add {\"at_ms\": N, \"cue\": \"" + cue +
                     "\"} to the timeline");
}

}  // namespace sockdrill
