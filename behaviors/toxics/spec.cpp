// One toxic object of a case: read into a ToxicSpec (its type's attributes by its kind), written
// back, and its JSON Schema.
#include <algorithm>

#include "behaviors/toxics/toxic.hpp"
#include "common/json_checks.hpp"

namespace sockdrill::behaviors {

namespace {
constexpr std::string_view kCommonKeys[] = {"name", "type", "stream", "toxicity"};
constexpr std::string_view kStreams[] = {"upstream", "downstream"};

std::vector<std::string_view> toxic_types() {
  std::vector<std::string_view> types;
  for (const auto& kind : toxic_table()) types.push_back(kind.type);
  return types;
}
}  // namespace

std::optional<ToxicSpec> parse_toxic(const Json& toxic, const std::string& pointer,
                                     ParseContext& ctx) {
  Diagnostics& d = ctx.diag;
  if (!checks::is_object(toxic, pointer, d)) return std::nullopt;
  NoNewErrors ok(d);
  ToxicSpec spec;
  if (checks::has_key(toxic, pointer, d, "type")) {
    if (auto type = checks::one_of(toxic["type"], pointer_join(pointer, "type"), d, toxic_types()))
      spec.kind = find_toxic(*type);
  }
  // The attributes of the type; with an unknown type, those of every type (no double reports).
  std::vector<std::string_view> allowed(std::begin(kCommonKeys), std::end(kCommonKeys));
  for (const auto& kind : toxic_table())
    if (!spec.kind || spec.kind == &kind)
      for (auto key : kind.attributes)
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) allowed.push_back(key);
  checks::known_keys(toxic, pointer, d, allowed);
  if (spec.kind) spec.params = spec.kind->parse(toxic, pointer, ctx);
  if (toxic.contains("stream")) {
    auto stream = checks::one_of(toxic["stream"], pointer_join(pointer, "stream"), d, kStreams);
    spec.upstream = stream == "upstream";
  }
  if (toxic.contains("toxicity") &&
      checks::is_number(toxic["toxicity"], pointer_join(pointer, "toxicity"), d, 0.0, 1.0))
    spec.toxicity = toxic["toxicity"].get<double>();
  if (checks::has_key(toxic, pointer, d, "name")) {
    if (auto name = checks::non_empty_string(toxic["name"], pointer_join(pointer, "name"), d,
                                             "a toxic name"))
      spec.name = *name;
  }
  if (!ok()) return std::nullopt;
  return spec;
}

Json ToxicSpec::to_json() const {
  Json out = {{"name", name},
              {"type", std::string(kind->type)},
              {"stream", upstream ? "upstream" : "downstream"},
              {"toxicity", toxicity}};
  const Json attributes = params->to_json();
  for (auto& [key, value] : attributes.items()) out[key] = value;
  return out;
}

Json toxic_schema() {
  Json types = Json::array(), streams = Json::array();
  for (auto type : toxic_types()) types.push_back(std::string(type));
  for (auto stream : kStreams) streams.push_back(std::string(stream));
  const Json common = {
      {"name", {{"type", "string"}, {"minLength", 1}}},
      {"stream", {{"enum", streams}, {"default", "downstream"}}},
      {"toxicity", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}, {"default", 1.0}}}};
  // One branch per type: its type, its attributes and the common keys, nothing else.
  Json branches = Json::array();
  for (const auto& kind : toxic_table()) {
    Json properties = {{"type", {{"const", std::string(kind.type)}}}};
    const Json attributes = kind.schema();
    for (auto& [key, value] : attributes.items()) properties[key] = value;
    for (auto& [key, value] : common.items())
      if (key != "type") properties[key] = value;
    branches.push_back({{"properties", properties}, {"additionalProperties", false}});
  }
  Json properties = {{"name", common["name"]}, {"type", {{"enum", types}}}};
  properties["stream"] = common["stream"];
  properties["toxicity"] = common["toxicity"];
  return {
      {"type", "object"},
      {"required", Json::array({"name", "type"})},
      {"properties", properties},
      {"oneOf", branches},
      {"description", "A toxic, named and typed as in toxiproxy; attributes depend on the type."}};
}

}  // namespace sockdrill::behaviors
