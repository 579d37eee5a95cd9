// Validation messages tied to a JSON pointer, collected before anything starts.
#pragma once
#include <string>
#include <vector>

namespace sockdrill {

struct Diagnostic {
  std::string pointer;  // RFC 6901 JSON pointer of the offending value, "" for the root
  std::string message;  // says what was expected and what was seen
};

class Diagnostics {
 public:
  void error(std::string pointer, std::string message) {
    items_.push_back({std::move(pointer), std::move(message)});
  }
  bool ok() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

// Appends one reference token to a JSON pointer, escaping '~' and '/'.
std::string pointer_join(const std::string& base, const std::string& token);
std::string pointer_join(const std::string& base, std::size_t index);

}  // namespace sockdrill
