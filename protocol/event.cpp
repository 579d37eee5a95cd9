// An event as a peer reports it on the protocol: written and read in one place.
#include "protocol/event.hpp"

#include <algorithm>
#include <charconv>

#include "common/errno_names.hpp"
#include "protocol/json_fields.hpp"

namespace sockdrill::protocol {

Json to_json(const Event& e) {
  Json j;
  j["type"] = "event";
  j["t_ns"] = e.t_ns;
  j["kind"] = e.kind;
  if (e.conn) j["conn"] = *e.conn;
  if (e.step) j["step"] = *e.step;
  if (e.bytes) j["bytes"] = *e.bytes;
  if (e.err) j["errno"] = errno_name(*e.err);
  if (!e.local.empty()) j["local"] = e.local;
  if (!e.remote.empty()) j["remote"] = e.remote;
  if (!e.detail.empty()) j["detail"] = e.detail;
  return j;
}

namespace {

void append_number(std::int64_t n, std::string& out) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

// A JSON string as Json::dump writes it (error handler `replace`): plain printable ASCII is
// copied; anything else goes through Json itself, so the two can never differ.
void append_string(const std::string& text, std::string& out) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (!plain) {
    out += Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

void append_field(const char* key, std::string& out) {
  out += ",\"";
  out += key;
  out += "\":";
}

}  // namespace

void append_line(const Event& e, std::int64_t t_ns, std::string& out) {
  out += "{\"type\":\"event\",\"t_ns\":";
  append_number(t_ns, out);
  append_field("kind", out);
  append_string(e.kind, out);
  if (e.conn) append_field("conn", out), append_number(*e.conn, out);
  if (e.step) append_field("step", out), append_number(*e.step, out);
  if (e.bytes) append_field("bytes", out), append_number(*e.bytes, out);
  if (e.err) append_field("errno", out), append_string(errno_name(*e.err), out);
  if (!e.local.empty()) append_field("local", out), append_string(e.local, out);
  if (!e.remote.empty()) append_field("remote", out), append_string(e.remote, out);
  if (!e.detail.empty()) append_field("detail", out), append_string(e.detail, out);
  out += "}\n";
}

bool from_json(const Json& j, Event& e, std::string& problem) {
  Fields f(j, "event", problem);
  f.required("t_ns", e.t_ns);
  f.required("kind", e.kind);
  f.optional("conn", e.conn);
  f.optional("step", e.step);
  f.optional("bytes", e.bytes);
  std::string name;
  if (f.optional("errno", name) && !name.empty()) {
    if (auto err = errno_from_name(name)) e.err = *err;
    else f.fail("errno", "expected a symbolic errno name, got \"" + name + "\"");
  }
  f.optional("local", e.local);
  f.optional("remote", e.remote);
  f.optional("detail", e.detail);
  return f.ok();
}

}  // namespace sockdrill::protocol
