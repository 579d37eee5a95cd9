// XML escaping over UTF-8 decoded by hand, so that no input can make the output ill-formed.
#include "reports/xml_text.hpp"

#include <cstdint>

namespace sockdrill::reports {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The code point that starts at text[i] and its length in bytes; kInvalid (length 1) for a
// byte that does not start a well-formed sequence (overlong forms and surrogates included).
std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || i + length > text.size()) return {kInvalid, 1};
  char32_t cp = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {kInvalid, 1};
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return {kInvalid, 1};
  return {cp, length};
}

bool allowed_in_xml(char32_t cp) {
  if (cp < 0x20) return cp == 0x9 || cp == 0xA || cp == 0xD;
  return cp != 0xFFFE && cp != 0xFFFF && cp != kInvalid;
}

}  // namespace

std::string xml_escape(std::string_view text, XmlPlace place) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto [cp, length] = decode(text, i);
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += place == XmlPlace::attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += place == XmlPlace::attribute ? "&#10;" : "\n";
        break;
      default:
        if (allowed_in_xml(cp))
          out.append(text, i, length);
        else
          out += kReplacement;
    }
    i += length;
  }
  return out;
}

}  // namespace sockdrill::reports
