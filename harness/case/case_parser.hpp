// Reads and validates a case file against the case format (docs/case-format.md); nothing is started here.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/case/case_model.hpp"

namespace sockdrill {

struct CaseError {
  std::string message;  // "FILE:LINE:COL: message" or "FILE: /json/pointer: message"
};

struct ParseResult {
  std::optional<CaseSpec> spec;   // set when valid
  std::vector<CaseError> errors;  // every problem found: unknown keys first, then in file order
};

// Parses text (JSON with // and /* */ comments) that came from `file` (used in messages only).
// `defines` are the command line's `--define NAME=VALUE` pairs: `{NAME}` placeholders.
// `look_at_files`: whether commands' programs and {case_dir} files must exist here (see CaseCheck).
ParseResult parse_case_text(const std::string& text, const std::filesystem::path& file,
                            const std::map<std::string, std::string>& defines = {},
                            bool look_at_files = true);
// Case files larger than this are refused before they are read.
inline constexpr std::int64_t kMaxCaseFileBytes = 1 << 20;

// Reads and parses a file; a file that cannot be read, is not a regular file (a FIFO, a device)
// or is larger than kMaxCaseFileBytes is one error, naming it and why.
ParseResult parse_case_file(const std::filesystem::path& file,
                            const std::map<std::string, std::string>& defines = {});


}  // namespace sockdrill
