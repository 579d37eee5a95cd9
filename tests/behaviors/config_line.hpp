// Tests write a peer the way a case does; this makes the protocol's config line of it.
#pragma once
#include <cstdint>
#include <string>

#include "common/json.hpp"

namespace sockdrill::testing {

// The protocol's config line (protocol/peer_config.hpp) for a peer written as a case writes it
// ({"listen": ...} or {"connect": ...} or {"proxy": ...}, with options, steps, on_error), its
// references already resolved; tests write peers the way cases do.
inline Json config_line(const Json& peer, const std::string& name, std::uint64_t seed = 1) {
  Json line = {{"type", "config"}, {"name", name}, {"seed", seed}};
  auto endpoint = [](const Json& listen) {
    const std::string address = listen.value("address", std::string("127.0.0.1"));
    const std::string port = std::to_string(listen.value("port", 0));
    return address.find(':') != std::string::npos ? "[" + address + "]:" + port : address + ":" + port;
  };
  for (const char* key : {"options", "steps", "on_error"})
    if (peer.contains(key)) line[key] = peer[key];
  if (peer.contains("listen")) {
    const Json& l = peer["listen"];
    line["role"] = "server";
    line["listen"] = endpoint(l);
    for (const char* key : {"backlog", "reuseaddr", "accept"})
      if (l.contains(key)) line[key] = l[key];
  } else if (peer.contains("connect")) {
    line["role"] = "client";
    for (auto& [key, value] : peer["connect"].items()) line[key] = value;
  } else if (peer.contains("proxy")) {
    const Json& x = peer["proxy"];
    line["role"] = "proxy";
    line["listen"] = endpoint(x.value("listen", Json::object()));
    line["to"] = x["to"];
    line["toxics"] = x.value("toxics", Json::array());
  }
  return line;
}

}  // namespace sockdrill::testing
