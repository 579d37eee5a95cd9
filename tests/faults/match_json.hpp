// Tests write MATCH objects as a case does: this reads one into a PacketMatch (test input only).
#pragma once
#include <stdexcept>
#include <string>

#include "common/json.hpp"
#include "harness/case/case_model.hpp"

namespace sockdrill {

inline PacketMatch match_of(const std::string& text) {
  const Json j = Json::parse(text);
  PacketMatch m;
  if (j.contains("from")) m.from = j["from"].get<std::string>();
  if (j.contains("to")) m.to = j["to"].get<std::string>();
  if (j.contains("flags")) m.flags = j["flags"].get<std::vector<std::string>>();
  if (j.contains("probability")) m.probability = j["probability"].get<double>();
  return m;
}

inline FaultSpec fault_of(const std::string& action, const std::string& text) {
  FaultSpec f;
  f.action = action == "drop" ? FaultSpec::drop : action == "reject" ? FaultSpec::reject : FaultSpec::clear;
  f.match = match_of(text);
  return f;
}

}  // namespace sockdrill
