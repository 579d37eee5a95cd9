// The one grammar of endpoints: "127.0.0.1:80" and "[::1]:80", read and written the same everywhere.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace sockdrill {

struct Endpoint {
  std::string address;  // an IP literal, without brackets
  int port = 0;
};

bool is_ipv4_literal(const std::string& address);
bool is_ipv6_literal(const std::string& address);
inline bool is_ip_literal(const std::string& address) {
  return is_ipv4_literal(address) || is_ipv6_literal(address);
}

// The host and port texts of "HOST:PORT" or "[HOST]:PORT", not checked (they may still hold
// placeholders). nullopt, with `why` set, when the shape is wrong: no ":PORT", a bare IPv6
// address without brackets, an unclosed bracket.
struct EndpointParts {
  std::string host;
  std::string port;
};
std::optional<EndpointParts> split_endpoint(std::string_view text, std::string* why = nullptr);

// A port text: 1 to 5 digits, at most 65535.
std::optional<int> parse_port(std::string_view text);

// "ADDRESS:PORT" with an IP literal and a port; nullopt, with `why` set, otherwise.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::string* why = nullptr);

// "127.0.0.1:80", "[::1]:80".
std::string endpoint_text(const std::string& address, int port);
inline std::string endpoint_text(const Endpoint& e) { return endpoint_text(e.address, e.port); }

}  // namespace sockdrill
