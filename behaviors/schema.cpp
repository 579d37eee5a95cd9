// The $defs of cases/schema.json built from the tables: each unit's schema() is the truth.
#include "behaviors/schema.hpp"

#include "behaviors/option.hpp"
#include "behaviors/script.hpp"
#include "behaviors/step.hpp"
#include "behaviors/toxics/toxic.hpp"
#include "common/errno_names.hpp"

namespace sockdrill::behaviors {

Json schema_defs() {
  Json options = Json::object(), steps = Json::object();
  for (const auto& kind : option_table()) options[std::string(kind.key)] = kind.schema();
  for (const auto& kind : step_table()) steps[std::string(kind.key)] = kind.schema();
  Json defs;
  defs["options"] = {{"type", "object"},
                     {"description", "Socket options (docs/case-format.md, section 5)."},
                     {"properties", options},
                     {"additionalProperties", false}};
  defs["step"] = {{"type", "object"},
                  {"minProperties", 1},
                  {"maxProperties", 1},
                  {"properties", steps},
                  {"additionalProperties", false}};
  defs["steps"] = {{"type", "array"}, {"items", {{"$ref", "#/$defs/step"}}}};
  defs["on_error"] = Script::on_error_schema();
  defs["toxic"] = toxic_schema();
  Json errnos = Json::array();
  for (auto name : errno_names()) errnos.push_back(std::string(name));
  defs["errno"] = {{"enum", errnos}, {"description", "A symbolic errno name, as events carry them."}};
  return defs;
}

}  // namespace sockdrill::behaviors
