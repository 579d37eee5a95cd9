// What a sockdrill-peer tells the runner: written and read in one place.
#include "protocol/peer_messages.hpp"

#include "protocol/json_fields.hpp"

namespace sockdrill::protocol {

namespace {

Json to_json(const Ready&) { return Json{{"type", "ready"}}; }
Json to_json(const Bound& m) { return Json{{"type", "bound"}, {"address", m.address}, {"port", m.port}}; }
Json to_json(const Synced& m) { return Json{{"type", "synced"}, {"id", m.id}, {"t_ns", m.t_ns}}; }
Json to_json(const Limit& m) { return Json{{"type", "limit"}, {"message", m.message}}; }
Json to_json(const Fatal& m) { return Json{{"type", "fatal"}, {"message", m.message}}; }

}  // namespace

std::string to_line(const PeerMessage& message) {
  const Json j = std::visit([](const auto& m) { return to_json(m); }, message);
  // replace: a stray invalid UTF-8 byte in a detail must not become an exception.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<PeerMessage> read_peer_line(std::string_view line, std::string& problem) {
  const Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j["type"].is_string()) {
    problem = "expected a JSON object with a \"type\", got: " + std::string(line.substr(0, 200));
    return std::nullopt;
  }
  const std::string type = j["type"].get<std::string>();
  Fields f(j, type, problem);
  if (type == "ready") return Ready{};
  if (type == "bound") {
    Bound m;
    f.required("address", m.address);
    f.required("port", m.port);
    if (f.ok() && (m.port < 0 || m.port > 65535)) f.fail("port", "expected 0 to 65535");
    if (f.ok()) return m;
    return std::nullopt;
  }
  if (type == "event") {
    Event e;
    if (from_json(j, e, problem)) return e;
    return std::nullopt;
  }
  if (type == "synced") {
    Synced m;
    f.required("id", m.id);
    f.required("t_ns", m.t_ns);
    if (f.ok()) return m;
    return std::nullopt;
  }
  if (type == "limit" || type == "fatal") {
    std::string message;
    f.required("message", message);
    if (!f.ok()) return std::nullopt;
    if (type == "limit") return Limit{message};
    return Fatal{message};
  }
  problem = "unknown message type \"" + type + "\"";
  return std::nullopt;
}

}  // namespace sockdrill::protocol
