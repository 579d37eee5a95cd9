// Maps every JSON pointer of a (comment-allowing) JSON text to the line and column it starts at.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sockdrill {

// 1-based; line 0 means unknown. Columns count characters (UTF-8 code points), not bytes.
struct TextPosition {
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
};

struct JsonValueLocation {
  TextPosition value;  // first character of the value
  TextPosition key;    // first character of its key (the opening quote); unknown for array items
};

// The first syntax error; scanning stops there because nothing after it can be trusted.
struct JsonSyntaxError {
  TextPosition where;
  std::string message;  // says what was expected and what was found
};

// nlohmann keeps only one of two equal keys, so a repeated key is reported rather than lost.
struct JsonDuplicateKey {
  std::string pointer;  // pointer of the repeated member
  std::string key;
  TextPosition where;   // the second occurrence's key
  TextPosition first;   // the first occurrence's key
};

struct JsonScan {
  std::unordered_map<std::string, JsonValueLocation> locations;  // by RFC 6901 pointer
  std::optional<JsonSyntaxError> syntax_error;
  std::vector<JsonDuplicateKey> duplicate_keys;  // in file order

  const JsonValueLocation* find(const std::string& pointer) const;
};

// Checks the syntax of `text` (JSON plus // and /* */ comments) and records where each value is.
JsonScan scan_json(std::string_view text);

// Line and column of a byte offset, counted the same way as scan_json counts them.
TextPosition position_at(std::string_view text, std::size_t offset);

}  // namespace sockdrill
