// A set of socket cookies: a bitmap over a dense range, an open-addressing table otherwise.
#include "harness/observe/cookie_set.hpp"

namespace sockdrill {
namespace {

std::uint64_t spread(std::uint64_t cookie) { return cookie * 0x9E3779B97F4A7C15ull; }

}  // namespace

void CookieSet::reset(std::uint64_t low, std::uint64_t high, std::size_t expected) {
  low_ = low;
  high_ = high;
  const std::uint64_t range = high >= low ? high - low + 1 : 0;
  dense_ = range <= 65536 || range / 32 <= expected;
  if (dense_) {
    bits_.assign(static_cast<std::size_t>(range / 64 + 1), 0);
    return;
  }
  std::size_t size = 64;
  while (size < 2 * expected) size *= 2;  // at most half full: short probes, and never full
  keys_.assign(size, 0);
  mask_ = size - 1;
}

bool CookieSet::insert(std::uint64_t cookie) {
  if (dense_) {
    const std::uint64_t at = cookie - low_;
    std::uint64_t& word = bits_[static_cast<std::size_t>(at / 64)];
    const std::uint64_t bit = std::uint64_t{1} << (at % 64);
    const bool fresh = (word & bit) == 0;
    word |= bit;
    return fresh;
  }
  for (std::uint64_t i = spread(cookie) & mask_;; i = (i + 1) & mask_) {
    if (keys_[i] == cookie) return false;
    if (keys_[i] == 0) {
      keys_[i] = cookie;
      return true;
    }
  }
}

bool CookieSet::contains(std::uint64_t cookie) const {
  if (dense_) {
    if (cookie < low_ || cookie > high_) return false;
    const std::uint64_t at = cookie - low_;
    return (bits_[static_cast<std::size_t>(at / 64)] >> (at % 64)) & 1;
  }
  for (std::uint64_t i = spread(cookie) & mask_;; i = (i + 1) & mask_) {
    if (keys_[i] == cookie) return true;
    if (keys_[i] == 0) return false;
  }
}

}  // namespace sockdrill
