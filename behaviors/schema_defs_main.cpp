// sockdrill_schema_defs: prints the $defs of cases/schema.json that come from the tables; given
// the schema file, prints that file with those $defs replaced (to update it after a change).
#include <fstream>
#include <iostream>
#include <sstream>

#include "behaviors/schema.hpp"

int main(int argc, char** argv) {
  using sockdrill::Json;
  Json defs = sockdrill::behaviors::schema_defs();
  if (argc < 2) {
    std::cout << defs.dump(2) << "\n";
    return 0;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  Json schema = Json::parse(text.str(), nullptr, false);
  if (!in || schema.is_discarded() || !schema.contains("$defs")) {
    std::cerr << argv[1] << ": expected a JSON Schema with \"$defs\"\n";
    return 1;
  }
  for (auto& [key, value] : defs.items()) schema["$defs"][key] = value;
  std::cout << schema.dump(2) << "\n";
  return 0;
}
