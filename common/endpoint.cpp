// The one grammar of endpoints: "127.0.0.1:80" and "[::1]:80".
#include "common/endpoint.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace sockdrill {

bool is_ipv4_literal(const std::string& address) {
  unsigned char buf[4];
  return inet_pton(AF_INET, address.c_str(), buf) == 1;
}

bool is_ipv6_literal(const std::string& address) {
  unsigned char buf[16];
  return inet_pton(AF_INET6, address.c_str(), buf) == 1;
}

std::optional<EndpointParts> split_endpoint(std::string_view text, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<EndpointParts> {
    if (why) *why = std::move(message);
    return std::nullopt;
  };
  const std::string shown = "\"" + std::string(text) + "\"";
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find("]:");
    if (close == std::string_view::npos) return fail("expected \"[IPV6]:PORT\", got " + shown);
    return EndpointParts{std::string(text.substr(1, close - 1)), std::string(text.substr(close + 2))};
  }
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos)
    return fail("expected \"ADDRESS:PORT\", got " + shown + " (no \":PORT\")");
  EndpointParts parts{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
  if (parts.host.find(':') != std::string::npos)
    return fail("expected an IPv6 address in brackets, as in \"[::1]:8080\", got " + shown);
  return parts;
}

std::optional<int> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const int port = std::stoi(std::string(text));
  if (port > 65535) return std::nullopt;
  return port;
}

std::optional<Endpoint> parse_endpoint(std::string_view text, std::string* why) {
  auto parts = split_endpoint(text, why);
  if (!parts) return std::nullopt;
  const std::string shown = "\"" + std::string(text) + "\"";
  if (!is_ip_literal(parts->host)) {
    if (why)
      *why = "expected an IPv4 or IPv6 address before the port, got \"" + parts->host + "\" in " + shown;
    return std::nullopt;
  }
  auto port = parse_port(parts->port);
  if (!port) {
    if (why)
      *why = "expected a port from 0 to 65535 after the last ':', got \"" + parts->port + "\" in " + shown;
    return std::nullopt;
  }
  return Endpoint{parts->host, *port};
}

std::string endpoint_text(const std::string& address, int port) {
  if (address.find(':') != std::string::npos) return "[" + address + "]:" + std::to_string(port);
  return address + ":" + std::to_string(port);
}

}  // namespace sockdrill
