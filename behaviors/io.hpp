// Small pieces the data steps share: the read scratch buffer and filler bytes.
#pragma once
#include <cstddef>
#include <span>

namespace sockdrill::behaviors {

// One scratch buffer for every read (on the event loop thread): bytes read are counted, not kept,
// so connections need no buffer of their own.
std::span<char> read_scratch();
// Filler for {"send": {"bytes": N}}: a printable repeating pattern, at most this many at once.
std::span<const char> filler();

}  // namespace sockdrill::behaviors
