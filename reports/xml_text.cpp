// XML escaping over UTF-8 decoded by hand (common/utf8), so that no input can make the output ill-formed.
#include "reports/xml_text.hpp"

#include <cstdint>

#include "common/utf8.hpp"

namespace sockdrill::reports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool allowed_in_xml(char32_t cp) {
  if (cp < 0x20) return cp == 0x9 || cp == 0xA || cp == 0xD;
  return cp != 0xFFFE && cp != 0xFFFF && cp != kNotUtf8;
}

}  // namespace

std::string xml_escape(std::string_view text, XmlPlace place) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto [cp, length] = decode_utf8(text, i);
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
