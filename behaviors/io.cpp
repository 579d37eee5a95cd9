// The read scratch buffer and filler bytes.
#include "behaviors/io.hpp"

#include <array>

namespace sockdrill::behaviors {

std::span<char> read_scratch() {
  // Not thread_local: static TLS would be carved out of every thread's stack, including the
  // small ones of lingering closes. Only the event loop thread reads.
  static std::array<char, 64 * 1024> buffer;
  return buffer;
}

std::span<const char> filler() {
  static const auto pattern = [] {
    std::array<char, 64 * 1024> a{};
    const char text[] = "sockdrill filler 0123456789abcdefghijklmnopqrstuvwxyz\n";
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = text[i % (sizeof text - 1)];
    return a;
  }();
  return pattern;
}

}  // namespace sockdrill::behaviors
