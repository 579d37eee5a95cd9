// The leak check's options: SOCKDRILL_LEAK_CHECK read over the options given in code, and checked.
#pragma once
#include <string_view>

#include "sockdrill/leak_check.hpp"

namespace sockdrill::testing::detail {

// `text` as SOCKDRILL_LEAK_CHECK holds it ("strict,settle_ms=200,ignore_port=8080"), applied over
// `options`. Throws std::invalid_argument naming the word, what was expected and what was seen.
LeakCheckOptions apply_override(LeakCheckOptions options, std::string_view text);

// Throws std::invalid_argument for a value out of range (settle_ms, a port 0).
void validate(const LeakCheckOptions& options);

}  // namespace sockdrill::testing::detail
