// Reading the config line: the spec was validated by the case parser, but the peer trusts no
// one; anything unusable becomes a diagnostic and the peer reports `fatal`.
#include "peers/peer_config.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "common/json_checks.hpp"

namespace sockdrill::peer {

std::optional<SocketAddress> make_address(const std::string& address, int port) {
  SocketAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    a.length = sizeof(sockaddr_in);
    return a;
  }
  if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    a.length = sizeof(sockaddr_in6);
    return a;
  }
  return std::nullopt;
}

std::optional<SocketAddress> parse_endpoint(const std::string& text) {
  std::string host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find("]:");
    if (close == std::string::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int p = std::stoi(port);
  if (p > 65535) return std::nullopt;
  return make_address(host, p);
}

namespace {

void parse_listen(const Json& l, const std::string& ptr, PeerConfig& c, Diagnostics& d) {
  if (!checks::is_object(l, ptr, d)) return;
  std::string address = "127.0.0.1";
  int port = 0;
  if (l.contains("address") && checks::is_string(l["address"], ptr + "/address", d))
    address = l["address"].get<std::string>();
  if (l.contains("port") && checks::is_int(l["port"], ptr + "/port", d, 0, 65535))
    port = l["port"].get<int>();
  if (auto a = make_address(address, port))
    c.listen_address = *a;
  else
    d.error(ptr + "/address", "expected an IPv4 or IPv6 literal, got \"" + address + "\"");
  if (l.contains("backlog") && checks::is_int(l["backlog"], ptr + "/backlog", d, 1))
    c.backlog = l["backlog"].get<int>();
  if (l.contains("reuseaddr") && checks::is_bool(l["reuseaddr"], ptr + "/reuseaddr", d))
    c.reuseaddr = l["reuseaddr"].get<bool>();
  if (!l.contains("accept")) return;
  const Json& a = l["accept"];
  std::string aptr = ptr + "/accept";
  if (a == "immediately")
    c.accept.kind = AcceptConfig::immediately;
  else if (a == "never")
    c.accept.kind = AcceptConfig::never;
  else if (a.is_object() && a.size() == 1 && a.contains("after_ms")) {
    c.accept.kind = AcceptConfig::after;
    if (checks::is_int(a["after_ms"], aptr + "/after_ms", d))
      c.accept.after_ms = a["after_ms"].get<std::int64_t>();
  } else if (a.is_object() && a.size() == 1 && a.contains("on_cue")) {
    c.accept.kind = AcceptConfig::on_cue;
    if (checks::is_string(a["on_cue"], aptr + "/on_cue", d))
      c.accept.cue = a["on_cue"].get<std::string>();
  } else {
    d.error(aptr,
            "expected \"immediately\", \"never\", {\"after_ms\": N} or {\"on_cue\": NAME}, got " +
                a.dump());
  }
}

void parse_connect(const Json& k, const std::string& ptr, PeerConfig& c, Diagnostics& d) {
  if (!checks::is_object(k, ptr, d)) return;
  if (checks::has_key(k, ptr, d, "to") && checks::is_string(k["to"], ptr + "/to", d)) {
    if (auto to = parse_endpoint(k["to"].get<std::string>()))
      c.to = *to;
    else
      d.error(ptr + "/to",
              "expected \"ADDRESS:PORT\" with an IP literal (placeholders resolved), got " +
                  k["to"].dump());
  }
  if (k.contains("count") && checks::is_int(k["count"], ptr + "/count", d, 1)) c.count = k["count"];
  if (k.contains("interval_ms") && checks::is_int(k["interval_ms"], ptr + "/interval_ms", d))
    c.interval_ms = k["interval_ms"];
  if (k.contains("timeout_ms") && checks::is_int(k["timeout_ms"], ptr + "/timeout_ms", d, 1))
    c.timeout_ms = k["timeout_ms"];
}

void parse_proxy(const Json& x, const std::string& ptr, PeerConfig& c, Diagnostics& d) {
  if (!checks::is_object(x, ptr, d)) return;
  checks::known_keys(x, ptr, d, {"listen", "to", "toxics"});
  c.proxy = true;
  c.backlog = 4096;  // a relay for a thousand clients at once: the kernel caps it at somaxconn
  parse_listen(x.contains("listen") ? x["listen"] : Json::object(), ptr + "/listen", c, d);
  if (checks::has_key(x, ptr, d, "to") && checks::is_string(x["to"], ptr + "/to", d)) {
    if (auto to = parse_endpoint(x["to"].get<std::string>()))
      c.to = *to;
    else
      d.error(ptr + "/to", "expected \"ADDRESS:PORT\" with an IP literal (placeholders resolved), got " +
                               x["to"].dump());
  }
  if (x.contains("toxics") && checks::is_array(x["toxics"], ptr + "/toxics", d)) {
    behaviors::ParseContext ctx{d, {}};
    for (std::size_t i = 0; i < x["toxics"].size(); ++i) {
      auto toxic = behaviors::parse_toxic(x["toxics"][i], pointer_join(ptr + "/toxics", i), ctx);
      if (toxic) c.toxics.push_back(std::move(*toxic));
    }
  }
}

}  // namespace

std::optional<PeerConfig> parse_config(const Json& line, Diagnostics& d) {
  PeerConfig c;
  if (!checks::is_object(line, "", d)) return std::nullopt;
  if (!line.contains("type") || line["type"] != "config") {
    d.error("/type", "expected the first line to be {\"type\":\"config\",...}, got " + line.dump());
    return std::nullopt;
  }
  if (line.contains("name") && line["name"].is_string()) c.name = line["name"];
  if (line.contains("t0_ns") &&
      checks::is_int(line["t0_ns"], "/t0_ns", d, 0, std::numeric_limits<std::int64_t>::max()))
    c.t0_ns = line["t0_ns"].get<std::int64_t>();
  if (line.contains("source") && checks::is_object(line["source"], "/source", d)) {
    const Json& src = line["source"];
    checks::known_keys(src, "/source", d, {"v4", "v6"});
    if (src.contains("v4") && checks::is_string(src["v4"], "/source/v4", d))
      c.source_v4 = src["v4"].get<std::string>();
    if (src.contains("v6") && checks::is_string(src["v6"], "/source/v6", d))
      c.source_v6 = src["v6"].get<std::string>();
  }
  if (!checks::has_key(line, "", d, "spec") || !checks::is_object(line["spec"], "/spec", d))
    return std::nullopt;
  const Json& spec = line["spec"];
  if (line.contains("seed") && line["seed"].is_number_unsigned()) c.seed = line["seed"].get<std::uint64_t>();
  if (!checks::exactly_one_key(spec, "/spec", d, {"listen", "connect", "proxy"})) return std::nullopt;
  c.server = spec.contains("listen");
  if (c.server)
    parse_listen(spec["listen"], "/spec/listen", c, d);
  else if (spec.contains("proxy"))
    parse_proxy(spec["proxy"], "/spec/proxy", c, d);
  else
    parse_connect(spec["connect"], "/spec/connect", c, d);

  behaviors::ParseContext ctx{d, {}};
  if (auto script = behaviors::Script::parse(spec, "/spec", ctx)) c.script = std::move(*script);
  if (!d.ok()) return std::nullopt;
  return c;
}

}  // namespace sockdrill::peer
