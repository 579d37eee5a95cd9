// A sockdrill-peer's configuration line: written by the runner, read by the peer, in one place.
#include "protocol/peer_config.hpp"

#include "behaviors/parse_context.hpp"
#include "common/json_checks.hpp"
#include "protocol/json_fields.hpp"

namespace sockdrill::protocol {
namespace {

const char* role_name(PeerConfig::Role r) {
  switch (r) {
    case PeerConfig::Role::server: return "server";
    case PeerConfig::Role::client: return "client";
    case PeerConfig::Role::proxy: return "proxy";
  }
  return "?";
}

Json accept_json(const AcceptConfig& a) {
  switch (a.kind) {
    case AcceptConfig::immediately: return "immediately";
    case AcceptConfig::never: return "never";
    case AcceptConfig::after: return Json{{"after_ms", a.after_ms}};
    case AcceptConfig::on_cue: return Json{{"on_cue", a.cue}};
  }
  return "immediately";
}

void read_accept(const Json& a, AcceptConfig& out, Diagnostics& d) {
  std::string problem;
  if (a == "immediately") {
    out.kind = AcceptConfig::immediately;
  } else if (a == "never") {
    out.kind = AcceptConfig::never;
  } else if (a.is_object() && a.size() == 1 && a.contains("after_ms")) {
    out.kind = AcceptConfig::after;
    Fields(a, "accept", problem).required("after_ms", out.after_ms);
    if (problem.empty() && out.after_ms < 0) problem = "after_ms must not be negative";
  } else if (a.is_object() && a.size() == 1 && a.contains("on_cue")) {
    out.kind = AcceptConfig::on_cue;
    Fields(a, "accept", problem).required("on_cue", out.cue);
  } else {
    problem = "expected \"immediately\", \"never\", {\"after_ms\": N} or {\"on_cue\": NAME}";
  }
  if (!problem.empty()) d.error("/accept", problem);
}

// "ADDRESS:PORT" read with the one endpoint grammar.
void read_endpoint(const Json& line, const char* key, Endpoint& out, Diagnostics& d) {
  const std::string ptr = std::string("/") + key;
  if (!checks::has_key(line, "", d, key) || !checks::is_string(line[key], ptr, d)) return;
  std::string why;
  if (auto e = parse_endpoint(line[key].get<std::string>(), &why)) out = *e;
  else d.error(ptr, why);
}

// {"v4": A, "v6": B} into two strings: the peer's own source and each of more_sources.
void read_source(const Json& j, const std::string& ptr, std::string& v4, std::string& v6, Diagnostics& d) {
  std::string problem;
  Fields f(j, "config: \"" + ptr.substr(1) + "\"", problem);
  f.required("v4", v4);
  f.required("v6", v6);
  if (!problem.empty()) d.error(ptr, problem);
}

}  // namespace

Json to_json(const PeerConfig& c) {
  Json j = {{"type", "config"}, {"role", role_name(c.role)}, {"name", c.name}, {"seed", c.seed}};
  if (c.t0_ns) j["t0_ns"] = *c.t0_ns;
  j["source"] = {{"v4", c.source_v4}, {"v6", c.source_v6}};
  if (c.role != PeerConfig::Role::client) {
    j["listen"] = endpoint_text(c.listen);
    j["backlog"] = c.backlog;
  }
  if (c.role == PeerConfig::Role::server) {
    j["reuseaddr"] = c.reuseaddr;
    j["accept"] = accept_json(c.accept);
  }
  if (c.role != PeerConfig::Role::client && c.listeners != 1) j["listeners"] = c.listeners;
  if (c.shards != 1) j["shard"] = {{"index", c.shard}, {"of", c.shards}};
  if (c.role != PeerConfig::Role::server) j["to"] = endpoint_text(c.to);
  if (c.role == PeerConfig::Role::client) {
    j["count"] = c.count;
    j["interval_ms"] = c.interval_ms;
    j["timeout_ms"] = c.timeout_ms;
  }
  if (c.role != PeerConfig::Role::server && !c.more_sources.empty()) {
    j["more_sources"] = Json::array();
    for (const SourcePair& s : c.more_sources) j["more_sources"].push_back({{"v4", s.v4}, {"v6", s.v6}});
  }
  if (c.role == PeerConfig::Role::proxy) {
    j["toxics"] = Json::array();
    for (auto& t : c.toxics) j["toxics"].push_back(t.to_json());
  } else {
    c.script.to_json(j);
  }
  return j;
}

std::optional<PeerConfig> peer_config_from_json(const Json& line, Diagnostics& d) {
  PeerConfig c;
  if (!checks::is_object(line, "", d)) return std::nullopt;
  checks::known_keys(line, "", d,
                     {"type", "role", "name", "seed", "t0_ns", "source", "listen", "backlog",
                      "reuseaddr", "accept", "to", "count", "interval_ms", "timeout_ms", "options",
                      "steps", "on_error", "toxics", "more_sources", "shard", "listeners"});
  std::string problem, type, role;
  Fields f(line, "config", problem);
  f.required("type", type);
  f.required("role", role);
  f.required("name", c.name);
  f.required("seed", c.seed);
  f.optional("t0_ns", c.t0_ns);
  f.optional("backlog", c.backlog);
  f.optional("reuseaddr", c.reuseaddr);
  f.optional("count", c.count);
  f.optional("listeners", c.listeners);
  f.optional("interval_ms", c.interval_ms);
  f.optional("timeout_ms", c.timeout_ms);
  if (!problem.empty()) d.error(pointer_join("", f.failed_key()), problem);
  if (line.contains("source")) read_source(line["source"], "/source", c.source_v4, c.source_v6, d);
  if (line.contains("more_sources") && checks::is_array(line["more_sources"], "/more_sources", d)) {
    for (std::size_t i = 0; i < line["more_sources"].size(); ++i) {
      SourcePair& s = c.more_sources.emplace_back();
      read_source(line["more_sources"][i], pointer_join("/more_sources", i), s.v4, s.v6, d);
    }
  }
  if (line.contains("shard")) {
    std::string shard_problem;
    Fields shard(line["shard"], "config: \"shard\"", shard_problem);
    shard.required("index", c.shard);
    shard.required("of", c.shards);
    if (shard_problem.empty() && (c.shards < 1 || c.shard < 0 || c.shard >= c.shards || c.shards > 64))
      shard_problem = "expected 0 <= index < of <= 64";
    if (!shard_problem.empty()) d.error("/shard", shard_problem);
  }
  if (c.listeners < 1 || c.listeners > 64) d.error("/listeners", "expected 1 to 64 listening processes");
  if (c.more_sources.size() > 63) d.error("/more_sources", "expected at most 63 more processes");
  if (type != "config") d.error("/type", "expected the first line to be {\"type\":\"config\",...}");
  if (c.backlog < 1 || c.count < 1 || c.interval_ms < 0 || c.timeout_ms < 1 || (c.t0_ns && *c.t0_ns < 0))
    d.error("", "backlog, count and timeout_ms must be at least 1, interval_ms and t0_ns not negative");
  if (role == "server") c.role = PeerConfig::Role::server;
  else if (role == "client") c.role = PeerConfig::Role::client;
  else if (role == "proxy") c.role = PeerConfig::Role::proxy;
  else d.error("/role", "expected \"server\", \"client\" or \"proxy\", got \"" + role + "\"");
  if (c.role != PeerConfig::Role::client) read_endpoint(line, "listen", c.listen, d);
  if (c.role != PeerConfig::Role::server) read_endpoint(line, "to", c.to, d);
  if (c.role == PeerConfig::Role::server && line.contains("accept")) read_accept(line["accept"], c.accept, d);
  behaviors::ParseContext ctx{d, {}};
  if (c.role == PeerConfig::Role::proxy) {
    if (line.contains("toxics") && checks::is_array(line["toxics"], "/toxics", d))
      for (std::size_t i = 0; i < line["toxics"].size(); ++i)
        if (auto t = behaviors::parse_toxic(line["toxics"][i], pointer_join("/toxics", i), ctx))
          c.toxics.push_back(std::move(*t));
  } else if (auto script = behaviors::Script::parse(line, "", ctx)) {
    c.script = std::move(*script);
  }
  if (!d.ok()) return std::nullopt;
  return c;
}

}  // namespace sockdrill::protocol
