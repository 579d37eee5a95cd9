// UTF-8 read by hand: text from programs and file names may hold any bytes, reports may not.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace sockdrill {

inline constexpr char32_t kNotUtf8 = 0xFFFFFFFF;

// The code point that starts at text[i] and its length in bytes; kNotUtf8 (length 1) for a byte
// that does not start a well-formed sequence (overlong forms and surrogates included).
std::pair<char32_t, std::size_t> decode_utf8(std::string_view text, std::size_t i);

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace sockdrill
