// cases/schema.json holds exactly the $defs the tables of steps, options and toxics give, so the
// published schema cannot drift from what the parser accepts.
#include "behaviors/schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace sockdrill::behaviors {
namespace {

TEST(Schema, CasesSchemaHoldsTheDefsOfTheTables) {
  std::ifstream in(SOCKDRILL_SCHEMA_FILE);
  ASSERT_TRUE(in) << "cannot read " << SOCKDRILL_SCHEMA_FILE;
  std::stringstream text;
  text << in.rdbuf();
  const Json file = Json::parse(text.str());
  const Json defs = schema_defs();
  for (auto& [key, value] : defs.items()) {
    ASSERT_TRUE(file["$defs"].contains(key)) << "$defs/" << key << " is missing";
    EXPECT_EQ(file["$defs"][key], value)
        << "$defs/" << key << " differs from the tables; rewrite the file with "
        << "build/bin/sockdrill_schema_defs cases/schema.json (it prints the updated schema)";
  }
}

TEST(Schema, DefsComeFromEveryUnit) {
  const Json defs = schema_defs();
  EXPECT_EQ(defs["options"]["properties"]["keepalive"]["properties"]["count"],
            Json::parse(R"({"type": "integer", "minimum": 1, "maximum": 127})"));
  EXPECT_EQ(defs["step"]["properties"]["recv"]["properties"]["timeout_ms"]["minimum"], 1);
  EXPECT_EQ(defs["step"]["properties"].size(), 8u);
  EXPECT_EQ(defs["options"]["properties"].size(), 8u);
  EXPECT_EQ(defs["toxic"]["oneOf"].size(), 8u);
  EXPECT_EQ(defs["toxic"]["oneOf"][1]["properties"]["rate_kbps"]["maximum"], 2147483647);
  // The errno names an events expectation may name: the table the checker reads them with.
  const Json& errnos = defs["errno"]["enum"];
  EXPECT_NE(std::find(errnos.begin(), errnos.end(), "ECONNRESET"), errnos.end());
  EXPECT_NE(std::find(errnos.begin(), errnos.end(), "EWOULDBLOCK"), errnos.end());
}

}  // namespace
}  // namespace sockdrill::behaviors
