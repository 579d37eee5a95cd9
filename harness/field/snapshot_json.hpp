// A Snapshot as JSON (format "sockdrill-snapshot/1", docs/snapshot.md) and back.
#pragma once
#include <stdexcept>
#include <string>

#include "common/json.hpp"
#include "harness/field/snapshot.hpp"

namespace sockdrill::field {

Json snapshot_to_json(const Snapshot& snapshot);

// A file that is not a snapshot of this format: says where (a JSON pointer), what was expected
// and what was there.
struct SnapshotFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws SnapshotFormatError.
Snapshot snapshot_from_json(const Json& json);

}  // namespace sockdrill::field
