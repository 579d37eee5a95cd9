// Parses SOCKDRILL_LEAK_CHECK word by word and checks the ranges of the leak check's options.
#include "check_options.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

namespace sockdrill::testing::detail {
namespace {

constexpr int kMaxSettleMs = 600'000;  // ten minutes: longer is a typo, not a setting

[[noreturn]] void reject(std::string_view word, const std::string& expected) {
  throw std::invalid_argument(std::string(kLeakCheckEnv) + ": \"" + std::string(word) +
                              "\": expected " + expected);
}

// Whether the whole of `text` is a decimal number in [low, high]; it goes to `out`.
bool parse_number(std::string_view text, long low, long high, long& out) {
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && stop == end && out >= low && out <= high;
}

void apply_word(LeakCheckOptions& options, std::string_view word) {
  const std::size_t eq = word.find('=');
  const std::string_view name = word.substr(0, eq);
  const bool has_value = eq != std::string_view::npos;
  const std::string_view value = has_value ? word.substr(eq + 1) : std::string_view();
  long number = 0;
  if (name == "strict") {
    if (!has_value || value == "1")
      options.strict = true;
    else if (value == "0")
      options.strict = false;
    else
      reject(word, "strict, strict=1 or strict=0");
  } else if (name == "settle_ms") {
    if (!parse_number(value, 0, kMaxSettleMs, number))
      reject(word, "settle_ms=N, N a whole number of milliseconds from 0 to " +
                       std::to_string(kMaxSettleMs));
    options.settle_ms = static_cast<int>(number);
  } else if (name == "ignore_port") {
    if (!parse_number(value, 1, 65535, number))
      reject(word, "ignore_port=P, P a port from 1 to 65535");
    options.ignored_ports.push_back(static_cast<std::uint16_t>(number));
  } else {
    reject(word, "strict, settle_ms=N or ignore_port=P, separated by commas");
  }
}

}  // namespace

LeakCheckOptions apply_override(LeakCheckOptions options, std::string_view text) {
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view word = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    if (!word.empty()) apply_word(options, word);
  }
  return options;
}

void validate(const LeakCheckOptions& options) {
  if (options.settle_ms < 0 || options.settle_ms > kMaxSettleMs)
    throw std::invalid_argument("LeakCheckOptions::settle_ms is " +
                                std::to_string(options.settle_ms) + ", expected 0 to " +
                                std::to_string(kMaxSettleMs) + " ms");
  for (std::uint16_t port : options.ignored_ports)
    if (port == 0)
      throw std::invalid_argument(
          "LeakCheckOptions::ignored_ports holds 0, expected ports from 1 to 65535");
}

}  // namespace sockdrill::testing::detail
