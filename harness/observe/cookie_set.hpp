// A set of socket cookies rebuilt for each read of the table, cheap enough for every sample.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sockdrill {

// The kernel numbers a socket when something first asks for its cookie (a dump does), from one
// counter, so a namespace's cookies are nearly consecutive: the set is then a bitmap over their
// range (a few KiB for 40,000 sockets, which stays in cache). Cookies spread wider than 32 slots
// each go to an open-addressing table instead.
class CookieSet {
 public:
  // Empties the set, for about `expected` cookies between `low` and `high` (inclusive).
  void reset(std::uint64_t low, std::uint64_t high, std::size_t expected);
  // Adds `cookie` (between low and high, not 0); false when it was in already.
  bool insert(std::uint64_t cookie);
  bool contains(std::uint64_t cookie) const;
  bool dense() const { return dense_; }

 private:
  bool dense_ = true;
  std::uint64_t low_ = 0, high_ = 0;
  std::vector<std::uint64_t> bits_;  // dense: bit (cookie - low_)
  std::vector<std::uint64_t> keys_;  // otherwise: 0 marks a free slot (no socket has cookie 0)
  std::uint64_t mask_ = 0;
};

}  // namespace sockdrill
