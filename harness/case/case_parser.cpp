// Reads a case file: syntax, duplicate keys and every rule, each error placed at its line and column.
#include "harness/case/case_parser.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <tuple>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/case/case_rules.hpp"
#include "harness/case/json_locations.hpp"

namespace sockdrill {
namespace {

struct Located {
  TextPosition where;    // shown; unknown falls back to "FILE: /pointer: message"
  TextPosition order;    // for sorting in file order: where, or the nearest located ancestor
  std::string pointer;
  std::string message;
  bool has_pointer = true;
  bool unknown_key = false;  // reported first: what follows may be its consequence
};

std::string parent_pointer(const std::string& pointer) {
  auto slash = pointer.rfind('/');
  return slash == std::string::npos ? "" : pointer.substr(0, slash);
}

// Where a diagnostic points: its key or its value, else the nearest ancestor (for order only).
Located locate(const JsonScan& scan, const Diagnostic& d, bool at_key) {
  Located out{{}, {}, d.pointer, d.message};
  if (auto* loc = scan.find(d.pointer)) {
    out.where = at_key && loc->key.known() ? loc->key : loc->value;
    out.order = out.where;
    return out;
  }
  for (std::string p = d.pointer; !p.empty();) {
    p = parent_pointer(p);
    if (auto* loc = scan.find(p)) {
      out.order = loc->value;
      break;
    }
  }
  return out;
}

std::string format(const std::string& file, const Located& e) {
  std::string out = file;
  if (e.where.known())
    out += ":" + std::to_string(e.where.line) + ":" + std::to_string(e.where.column);
  out += ": ";
  if (e.has_pointer) out += (e.pointer.empty() ? "/" : e.pointer) + ": ";
  return out + e.message;
}

void fill_location(const JsonScan& scan, SourceLocation& where) {
  if (auto* loc = scan.find(where.pointer)) {
    where.line = loc->value.line;
    where.column = loc->value.column;
  }
}

// nlohmann's text after "parse error at line L, column C: ", without its own position.
std::string nlohmann_reason(const std::string& what) {
  auto at = what.find("column ");
  if (at != std::string::npos) {
    auto colon = what.find(": ", at);
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  return what;
}

}  // namespace

ParseResult parse_case_text(const std::string& text, const std::filesystem::path& file,
                            const std::map<std::string, std::string>& defines, bool look_at_files) {
  ParseResult result;
  const std::string shown = file.string();
  JsonScan scan = scan_json(text);
  if (scan.syntax_error) {
    Located e{scan.syntax_error->where, scan.syntax_error->where, "", scan.syntax_error->message,
              false};
    result.errors.push_back({format(shown, e)});
    return result;
  }
  Json doc;
  try {
    doc = Json::parse(text, nullptr, true, true);
  } catch (const Json::parse_error& err) {
    // The scanner accepts what nlohmann rejects only in corners (invalid UTF-8, say).
    auto where = position_at(text, err.byte > 0 ? err.byte - 1 : 0);
    Located e{where, where, "", nlohmann_reason(err.what()), false};
    result.errors.push_back({format(shown, e)});
    return result;
  } catch (const Json::exception& err) {
    // Not all of nlohmann's refusals are parse_errors: a number no double holds (5e593) is an
    // out_of_range, without a position. It must be an error of the file, never an abort.
    const std::string what = err.what();
    const auto bracket = what.find("] ");
    Located e{{}, {}, "", bracket == std::string::npos ? what : what.substr(bracket + 2), false};
    result.errors.push_back({format(shown, e)});
    return result;
  }

  std::vector<Located> found;
  for (auto& dup : scan.duplicate_keys)
    found.push_back({dup.where, dup.where, dup.pointer,
                     "duplicate key \"" + dup.key + "\" (first at line " +
                         std::to_string(dup.first.line) + ", column " +
                         std::to_string(dup.first.column) +
                         "); JSON keeps only one of them, so remove or rename one"});

  CaseSpec spec;
  spec.file = file;
  spec.name = file.stem().string();
  spec.defines = defines;
  CaseCheck check;
  check.look_at_files = look_at_files;
  check_case_document(doc, spec, check);
  const auto& items = check.diag.items();
  auto is_unknown_key = [](const Diagnostic& d) {
    return d.message.starts_with("unknown key") || d.message.starts_with("unknown step") ||
           d.message.starts_with("unknown option");
  };
  // A missing key that a misspelt key beside it was meant to be ("by_msec" for "by_ms") is that
  // key's consequence: its "did you mean" says it all.
  std::set<std::pair<std::string, std::string>> meant;  // (object's pointer, key meant there)
  for (const auto& d : items)
    if (!d.meant.empty()) meant.emplace(parent_pointer(d.pointer), d.meant);
  auto explained = [&](const Diagnostic& d) {
    return std::any_of(d.missing.begin(), d.missing.end(),
                       [&](const std::string& key) { return meant.count({d.pointer, key}) > 0; });
  };
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].missing.empty() && explained(items[i])) continue;
    // Unknown keys, steps and options are about the key itself, not the value under it.
    const bool unknown = is_unknown_key(items[i]);
    found.push_back(locate(scan, items[i], unknown || check.at_key.count(i) > 0));
    found.back().unknown_key = unknown;
  }

  // File order, but unknown keys first: a missing key, a cue never given, a peer of no kind may
  // all follow from one misspelt key, and the cause must be read before its consequences.
  std::stable_sort(found.begin(), found.end(), [](const Located& a, const Located& b) {
    return std::tuple(!a.unknown_key, a.order.line, a.order.column) <
           std::tuple(!b.unknown_key, b.order.line, b.order.column);
  });
  for (auto& e : found) result.errors.push_back({format(shown, e)});
  if (!result.errors.empty()) return result;

  for (auto& p : spec.peers) fill_location(scan, p.where);
  for (auto& t : spec.timeline) fill_location(scan, t.where);
  for (auto& x : spec.expect) fill_location(scan, x.where);
  result.spec = std::move(spec);
  return result;
}

ParseResult parse_case_file(const std::filesystem::path& file,
                            const std::map<std::string, std::string>& defines) {
  ParseResult result;
  auto refuse = [&](const std::string& why) {
    result.errors.push_back({file.string() + ": " + why});
    return result;
  };
  // Non-blocking: a FIFO without a writer must not hang the open; only regular files are read.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return refuse(std::string("cannot read the case file: ") + std::strerror(errno));
  struct stat st {};
  const bool is_file = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  std::string text;
  if (is_file && st.st_size <= kMaxCaseFileBytes) {
    text.resize(static_cast<std::size_t>(st.st_size) + 1);  // one more: a file that grew is seen
    std::size_t got = 0;
    for (ssize_t n; got < text.size() && (n = ::read(fd, text.data() + got, text.size() - got)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        return refuse(std::string("cannot read the case file: ") + std::strerror(err));
      }
      got += static_cast<std::size_t>(n);
    }
    text.resize(got);
  }
  ::close(fd);
  if (!is_file) return refuse("not a regular file; a case is a JSON file");
  if (st.st_size > kMaxCaseFileBytes || static_cast<std::int64_t>(text.size()) > kMaxCaseFileBytes)
    return refuse("the file has " + std::to_string(std::max<std::int64_t>(st.st_size, text.size())) +
                  " bytes; a case file has at most " + std::to_string(kMaxCaseFileBytes));
  return parse_case_text(text, file, defines);
}

}  // namespace sockdrill
