// The parts of cases/schema.json that come from the tables of steps, options and toxics.
#pragma once
#include "common/json.hpp"

namespace sockdrill::behaviors {

// {"options": ..., "step": ..., "steps": ..., "on_error": ..., "toxic": ..., "errno": ...}: those entries of
// the schema's "$defs", exactly as the file must hold them.
Json schema_defs();

}  // namespace sockdrill::behaviors
