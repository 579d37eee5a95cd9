// Validation messages tied to a JSON pointer, collected before anything starts.
#pragma once
#include <string>
#include <vector>

namespace sockdrill {

struct Diagnostic {
  std::string pointer;  // RFC 6901 JSON pointer of the offending value, "" for the root
  std::string message;  // says what was expected and what was seen
  // An unknown key near an allowed one ("by_msec"): that key ("by_ms"), for "did you mean".
  std::string meant;
  // A key that is missing (or one of several, any of which would do): those keys. An unknown
  // key at the same object that was meant as one of them explains this error.
  std::vector<std::string> missing;
};

class Diagnostics {
 public:
  void error(std::string pointer, std::string message) {
    items_.push_back({std::move(pointer), std::move(message), {}, {}});
  }
  void error(Diagnostic d) { items_.push_back(std::move(d)); }
  bool ok() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

// Appends one reference token to a JSON pointer, escaping '~' and '/'.
std::string pointer_join(const std::string& base, const std::string& token);
std::string pointer_join(const std::string& base, std::size_t index);

}  // namespace sockdrill
