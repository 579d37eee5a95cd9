// An event as a peer reports it on the protocol: written and read in one place.
#include "protocol/event.hpp"

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
