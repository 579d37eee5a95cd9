// The events of the Chrome Trace Event Format that trace.cpp writes, each made whole here.
#include "reports/trace_events.hpp"

#include <cstdio>

namespace sockdrill::reports::trace {
namespace {

constexpr std::string_view kConnectionCategory = "connection";

Json located(std::string_view phase, int pid, int tid, double t_ms, std::string_view name) {
  return {{"ph", phase}, {"pid", pid}, {"tid", tid}, {"ts", micros(t_ms)}, {"name", name}};
}

Json metadata(std::string_view what, int pid, int tid, Json args) {
  return {{"ph", "M"}, {"pid", pid}, {"tid", tid}, {"name", what}, {"args", std::move(args)}};
}

}  // namespace

double micros(double t_ms) {
  return t_ms * 1000.0;
}

Json process_name(int pid, std::string_view name, int sort_index) {
  Json both = Json::array();
  both.push_back(metadata("process_name", pid, 0, {{"name", name}}));
  both.push_back(metadata("process_sort_index", pid, 0, {{"sort_index", sort_index}}));
  return both;
}

Json thread_name(int pid, int tid, std::string_view name, int sort_index) {
  Json both = Json::array();
  both.push_back(metadata("thread_name", pid, tid, {{"name", name}}));
  both.push_back(metadata("thread_sort_index", pid, tid, {{"sort_index", sort_index}}));
  return both;
}

Json instant(int pid, int tid, double t_ms, std::string_view name, Json args) {
  // "I", the older spelling of "i": every reader takes it, and Chrome DevTools takes only it.
  Json e = located("I", pid, tid, t_ms, name);
  e["s"] = "t";  // on its thread's track only
  e["args"] = std::move(args);
  return e;
}

Json complete(int pid, int tid, double from_ms, double to_ms, std::string_view name, Json args) {
  Json e = located("X", pid, tid, from_ms, name);
  e["dur"] = micros(to_ms) - micros(from_ms);
  e["args"] = std::move(args);
  return e;
}

Json counter(int pid, double t_ms, std::string_view name, Json values) {
  Json e = located("C", pid, 0, t_ms, name);
  e["args"] = std::move(values);
  return e;
}

Json async_begin(int pid, const std::string& id, double t_ms, std::string_view name, Json args) {
  Json e = located("b", pid, 0, t_ms, name);
  e["cat"] = kConnectionCategory;
  e["id"] = id;
  e["args"] = std::move(args);
  return e;
}

Json async_end(int pid, const std::string& id, double t_ms, std::string_view name) {
  Json e = located("e", pid, 0, t_ms, name);
  e["cat"] = kConnectionCategory;
  e["id"] = id;
  return e;
}

std::string cookie_id(std::uint64_t cookie) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(cookie));
  return text;
}

}  // namespace sockdrill::reports::trace
