// Which case files a command line names, and the unique name each one is reported under.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace sockdrill {

struct CaseFile {
  std::filesystem::path path;
  std::string name;  // unique in the run; valid UTF-8 (a byte that is not becomes U+FFFD)
};

// Files named on the command line as they are (named by their stem); folders searched for
// *.json (not schema.json), named by their path under the folder without ".json", sorted.
// When two files would get the same name, each is named by its path as given instead. A path
// that does not exist, cannot be read (a folder without permission, a symlink loop) or is not
// a regular file is one message in `errors`, naming it and why; so is a folder without cases.
std::vector<CaseFile> collect_case_files(const std::vector<std::string>& paths,
                                         std::vector<std::string>& errors);

}  // namespace sockdrill
