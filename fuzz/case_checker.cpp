// Fuzz target: the case checker (`sockdrill check`) turns any text into a case or into errors;
// it never crashes, aborts or throws.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "harness/case/case_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The rules alone: no program or {case_dir} file is looked for on this machine.
  const sockdrill::ParseResult result = sockdrill::parse_case_text(text, "fuzz.json", {}, false);
  sockdrill::fuzz::require(result.spec.has_value() != !result.errors.empty(),
                           "a case, or at least one error saying why not; never both, never neither");
  for (const auto& error : result.errors)
    sockdrill::fuzz::require(error.message.starts_with("fuzz.json"), "every error names the file");
  return 0;
}
