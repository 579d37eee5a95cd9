// JSON pointer helpers for diagnostics.
#include "common/diagnostics.hpp"

namespace sockdrill {

std::string pointer_join(const std::string& base, const std::string& token) {
  std::string out = base;
  out += '/';
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_join(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

}  // namespace sockdrill
