// Which case files a command line names, and the unique name each one is reported under.
#include "harness/cli/case_files.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include "common/utf8.hpp"

namespace fs = std::filesystem;

namespace sockdrill {
namespace {

struct Found {
  fs::path path;
  std::string name;       // under its folder, or its stem
  std::string qualified;  // its path as given, without ".json": used when `name` clashes
};

std::string without_json(const fs::path& p) {
  fs::path copy = p;
  if (copy.extension() == ".json") copy.replace_extension();
  return copy.generic_string();
}

// A path as given, made fit to name a report: no root, no "." or ".." parts.
std::string qualified_name(const fs::path& p) {
  fs::path out;
  for (const fs::path& part : p.relative_path())
    if (part != "." && part != ".." && !part.empty()) out /= part;
  return without_json(out);
}

std::string kind_of(fs::file_type t) {
  switch (t) {
    case fs::file_type::directory: return "a folder";
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::socket: return "a socket";
    default: return "not a regular file";
  }
}

void walk_folder(const std::string& arg, std::vector<Found>& out, std::vector<std::string>& errors) {
  const fs::path root(arg);
  std::vector<Found> found;
  std::error_code ec;
  std::string where = arg;  // the entry being read when an error comes
  auto it = fs::recursive_directory_iterator(root, ec);
  for (; !ec && it != fs::end(it); it.increment(ec)) {
    where = it->path().string();
    const fs::path& p = it->path();
    if (p.extension() != ".json" || p.filename() == "schema.json") continue;
    std::error_code sec;
    const fs::file_status st = fs::status(p, sec);
    if (sec) {
      errors.push_back(p.string() + ": cannot read: " + sec.message());
      continue;
    }
    if (st.type() == fs::file_type::directory) continue;  // a folder named x.json: its files come next
    if (st.type() != fs::file_type::regular) {
      errors.push_back(p.string() + ": " + kind_of(st.type()) + ", expected a case file");
      continue;
    }
    found.push_back({p, without_json(fs::relative(p, root)), qualified_name(p)});
  }
  if (ec) errors.push_back(where + ": cannot read this folder: " + ec.message());
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.name < b.name; });
  if (found.empty() && !ec) errors.push_back(arg + ": no case files (*.json) in this folder");
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace

std::vector<CaseFile> collect_case_files(const std::vector<std::string>& paths,
                                         std::vector<std::string>& errors) {
  std::vector<Found> found;
  for (const auto& arg : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || st.type() == fs::file_type::not_found) {
      // status() says why: "No such file or directory", "Too many levels of symbolic links", ...
      errors.push_back(arg + ": " + (ec ? "cannot read: " + ec.message() : std::string("no such file or folder")));
    } else if (st.type() == fs::file_type::directory) {
      walk_folder(arg, found, errors);
    } else if (st.type() != fs::file_type::regular) {
      errors.push_back(arg + ": " + kind_of(st.type()) + ", expected a case file or a folder");
    } else {
      found.push_back({arg, fs::path(arg).stem().string(), qualified_name(arg)});
    }
  }
  // The same file named twice runs once.
  std::set<fs::path> seen;
  std::erase_if(found, [&](const Found& f) {
    std::error_code ec;
    const fs::path key = fs::weakly_canonical(f.path, ec);
    return !seen.insert(ec ? f.path : key).second;
  });
  // Clashing names become the paths as given, until none clash (a qualified name may meet a
  // plain one); the rare paths that still clash ("x/a" given as /x/a and as x/a) get a number.
  for (bool clash = true; clash;) {
    std::map<std::string, int> uses;
    for (auto& f : found) ++uses[f.name];
    clash = false;
    for (auto& f : found)
      if (uses[f.name] > 1 && f.name != f.qualified) {
        f.name = f.qualified;
        clash = true;
      }
  }
  std::map<std::string, int> seen_names;
  std::vector<CaseFile> out;
  for (auto& f : found) {
    const int n = ++seen_names[f.name];
    out.push_back({f.path, valid_utf8(n == 1 ? f.name : f.name + "~" + std::to_string(n))});
  }
  return out;
}

}  // namespace sockdrill
