// A small JSON-with-comments scanner: syntax errors in plain words, and where every value starts.
#include "harness/case/json_locations.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <map>

#include "common/diagnostics.hpp"

namespace sockdrill {
namespace {

constexpr int kMaxDepth = 200;  // deeper nesting is never a case file; also bounds the recursion

struct SyntaxStop {};  // unwinds the scanner after the first syntax error

bool is_continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string hex4(unsigned value) {
  static const char* digits = "0123456789ABCDEF";
  std::string out = "U+";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(value >> shift) & 0xF];
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Scanner {
 public:
  explicit Scanner(std::string_view text, JsonScan& out) : text_(text), out_(out) {}

  void run() {
    // A UTF-8 byte order mark is accepted (nlohmann skips it too).
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    skip_space();
    if (at_end()) fail("expected a JSON object, found an empty file");
    value("", 0, TextPosition{});
    skip_space();
    if (!at_end())
      fail("expected the end of the file after the top-level value, found " + describe_here());
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  TextPosition here() const { return {line_, column_}; }

  void advance() {
    unsigned char c = static_cast<unsigned char>(text_[pos_++]);
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if (!is_continuation_byte(c)) {
      // The column points at the next character; continuation bytes belong to the previous one.
      ++column_;
    }
  }

  [[noreturn]] void fail(std::string message) { fail_at(here(), std::move(message)); }
  [[noreturn]] void fail_at(TextPosition where, std::string message) {
    out_.syntax_error = JsonSyntaxError{where, std::move(message)};
    throw SyntaxStop{};
  }

  // "'}'", "'True'", "the end of the file": what the reader will see at the current position.
  std::string describe_here() const {
    if (at_end()) return "the end of the file";
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (std::isalnum(c) || c == '_') {
      std::size_t end = pos_;
      while (end < text_.size() && end - pos_ < 24 &&
             (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_' ||
              text_[end] == '.' || text_[end] == '-' || text_[end] == '+'))
        ++end;
      return "'" + std::string(text_.substr(pos_, end - pos_)) + "'";
    }
    if (c == '\n' || c == '\r') return "the end of the line";
    if (c < 0x20 || c == 0x7F) return "the control character " + hex4(c);
    if (c >= 0x80) return "a non-ASCII character";
    return std::string("'") + static_cast<char>(c) + "'";
  }

  void skip_space() {
    while (!at_end()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance();
      } else if (c == '/') {
        TextPosition start = here();
        advance();
        if (peek() == '/') {
          while (!at_end() && peek() != '\n') advance();
        } else if (peek() == '*') {
          advance();
          bool closed = false;
          while (!at_end() && !closed) {
            if (peek() == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
              advance();
              closed = true;
            }
            advance();
          }
          if (!closed)
            fail_at(start, "expected '*/' to close this comment, found the end of the file");
        } else {
          fail_at(start, "expected a comment ('//' or '/*') after '/', found " + describe_here());
        }
      } else {
        return;
      }
    }
  }

  void value(const std::string& pointer, int depth, TextPosition key) {
    skip_space();
    out_.locations[pointer] = JsonValueLocation{here(), key};
    if (depth > kMaxDepth)
      fail("expected at most " + std::to_string(kMaxDepth) + " levels of nesting, found more");
    char c = peek();
    if (c == '{') return object(pointer, depth);
    if (c == '[') return array(pointer, depth);
    if (c == '"') {
      string();
      return;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    if (std::isalpha(static_cast<unsigned char>(c))) return literal();
    std::string hint;
    if (c == '\'') hint = " (strings use double quotes)";
    if (c == '+' || c == '.') hint = " (write numbers like 5, -1 or 0.5)";
    fail("expected a value (object, array, string, number, true, false or null), found " +
         describe_here() + hint);
  }

  void literal() {
    std::size_t start = pos_;
    TextPosition where = here();
    while (!at_end() && std::isalnum(static_cast<unsigned char>(peek()))) advance();
    std::string_view word = text_.substr(start, pos_ - start);
    if (word == "true" || word == "false" || word == "null") return;
    std::string hint;
    if (word == "True" || word == "False" || word == "TRUE" || word == "FALSE")
      hint = " (JSON writes true and false in lower case)";
    else if (word == "None" || word == "NULL" || word == "Null")
      hint = " (JSON writes null in lower case)";
    else if (word == "NaN" || word == "Infinity")
      hint = " (JSON has no NaN or Infinity)";
    else
      hint = " (strings need double quotes)";
    fail_at(where, "expected a value (object, array, string, number, true, false or null), "
                   "found '" + std::string(word) + "'" + hint);
  }

  void digits(const char* after) {
    if (!(peek() >= '0' && peek() <= '9'))
      fail(std::string("expected a digit ") + after + " in a number, found " + describe_here());
    while (peek() >= '0' && peek() <= '9') advance();
  }

  void number() {
    const std::size_t start = pos_;
    const TextPosition where = here();
    if (peek() == '-') advance();
    if (peek() == '0') {
      advance();
      if (peek() >= '0' && peek() <= '9')
        fail("expected no digit after a leading 0 (JSON numbers have no leading zeros), found " +
             describe_here());
    } else {
      digits("after '-'");
    }
    if (peek() == '.') {
      advance();
      digits("after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      advance();
      if (peek() == '+' || peek() == '-') advance();
      digits("in the exponent");
    }
    // nlohmann refuses what a double cannot hold with an exception, not a parse error.
    std::string token(text_.substr(start, pos_ - start));
    if (!std::isfinite(std::strtod(token.c_str(), nullptr)))
      fail_at(where, "expected a number a double can hold (up to about 1.8e308), found " + token);
  }

  unsigned hex_digits() {
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = peek();
      int d = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
      if (d < 0) fail("expected 4 hex digits after \\u, found " + describe_here());
      value = value * 16 + static_cast<unsigned>(d);
      advance();
    }
    return value;
  }

  // Reads a string starting at its opening quote and returns it decoded (keys become pointers).
  std::string string() {
    TextPosition open = here();
    advance();  // the opening quote
    std::string decoded;
    while (true) {
      if (at_end())
        fail_at(open, "expected '\"' to close this string, found the end of the file");
      unsigned char c = static_cast<unsigned char>(peek());
      if (c == '"') {
        advance();
        return decoded;
      }
      if (c == '\n' || c == '\r')
        fail("expected '\"' to close the string opened at line " + std::to_string(open.line) +
             ", column " + std::to_string(open.column) +
             ", found the end of the line (write a line break inside a string as \\n)");
      if (c < 0x20)
        fail("expected a printable character in a string, found the control character " +
             hex4(c) + " (escape it, e.g. \\t)");
      if (c != '\\') {
        decoded += static_cast<char>(c);
        advance();
        continue;
      }
      advance();
      char e = peek();
      switch (e) {
        case '"': decoded += '"'; break;
        case '\\': decoded += '\\'; break;
        case '/': decoded += '/'; break;
        case 'b': decoded += '\b'; break;
        case 'f': decoded += '\f'; break;
        case 'n': decoded += '\n'; break;
        case 'r': decoded += '\r'; break;
        case 't': decoded += '\t'; break;
        case 'u': {
          advance();
          unsigned cp = hex_digits();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (peek() != '\\' || pos_ + 1 >= text_.size() || text_[pos_ + 1] != 'u')
              fail("expected a \\u escape of a low surrogate after \\u" + hex4(cp).substr(2) +
                   ", found " + describe_here());
            advance();
            advance();
            unsigned low = hex_digits();
            if (low < 0xDC00 || low > 0xDFFF)
              fail("expected a low surrogate (\\uDC00 to \\uDFFF) after a high one, found \\u" +
                   hex4(low).substr(2));
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("expected a high surrogate before \\u" + hex4(cp).substr(2) +
                 ", found it alone");
          }
          append_utf8(decoded, cp);
          continue;  // hex_digits already moved past the escape
        }
        default:
          fail("expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) after '\\', found " +
               describe_here());
      }
      advance();
    }
  }

  void object(const std::string& pointer, int depth) {
    advance();  // '{'
    std::map<std::string, TextPosition> seen;
    skip_space();
    if (peek() == '}') {
      advance();
      return;
    }
    while (true) {
      skip_space();
      if (peek() != '"') {
        std::string hint;
        if (peek() == '}') hint = " (remove the comma before '}')";
        else if (std::isalpha(static_cast<unsigned char>(peek()))) hint = " (put keys in double quotes)";
        fail("expected a key in double quotes, found " + describe_here() + hint);
      }
      TextPosition key_at = here();
      std::string key = string();
      std::string child = pointer_join(pointer, key);
      auto [it, inserted] = seen.emplace(key, key_at);
      if (!inserted) out_.duplicate_keys.push_back({child, key, key_at, it->second});
      skip_space();
      if (peek() != ':')
        fail("expected ':' after the key \"" + key + "\", found " + describe_here());
      advance();
      // nlohmann keeps the last of repeated keys, so the later locations overwrite the earlier.
      value(child, depth + 1, key_at);
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        return;
      }
      std::string hint = peek() == '"' ? " (a comma is missing)" : "";
      fail("expected ',' or '}' after the value of \"" + key + "\", found " + describe_here() +
           hint);
    }
  }

  void array(const std::string& pointer, int depth) {
    advance();  // '['
    skip_space();
    if (peek() == ']') {
      advance();
      return;
    }
    for (std::size_t index = 0;; ++index) {
      skip_space();
      if (peek() == ']') fail("expected a value after ',', found ']' (remove the comma before ']')");
      value(pointer_join(pointer, index), depth + 1, TextPosition{});
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == ']') {
        advance();
        return;
      }
      std::string hint = (peek() == '"' || peek() == '{' || peek() == '[') ? " (a comma is missing)" : "";
      fail("expected ',' or ']' after item " + std::to_string(index) + " of the array, found " +
           describe_here() + hint);
    }
  }

  std::string_view text_;
  JsonScan& out_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

const JsonValueLocation* JsonScan::find(const std::string& pointer) const {
  auto it = locations.find(pointer);
  return it == locations.end() ? nullptr : &it->second;
}

JsonScan scan_json(std::string_view text) {
  JsonScan out;
  Scanner scanner(text, out);
  try {
    scanner.run();
  } catch (const SyntaxStop&) {
    // out.syntax_error is set.
  }
  return out;
}

TextPosition position_at(std::string_view text, std::size_t offset) {
  TextPosition p{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if (!is_continuation_byte(c)) {
      ++p.column;
    }
  }
  return p;
}

}  // namespace sockdrill
