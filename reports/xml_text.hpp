// Any bytes as text that an XML 1.0 parser accepts, in attributes and element content alike.
#pragma once
#include <string>
#include <string_view>

namespace sockdrill::reports {

enum class XmlPlace { attribute, content };

// Escapes & < > " ' (so "]]>" becomes "]]&gt;"); writes a carriage return as &#13; (and in an
// attribute, tab and newline as &#9; &#10;) so that a parser gives them back as they were;
// replaces with U+FFFD every character XML 1.0 does not allow (the other C0 controls, U+FFFE,
// U+FFFF) and every byte that is not part of well-formed UTF-8.
std::string xml_escape(std::string_view text, XmlPlace place);

}  // namespace sockdrill::reports
