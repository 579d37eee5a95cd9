// Where `--pcap DIR` puts each case's capture: DIR/NAME.pcap, each '/' in a case's name a subfolder.
#include "harness/cli/pcap_path.hpp"

#include <set>

#include "reports/output_file.hpp"

namespace fs = std::filesystem;

namespace sockdrill {

fs::path pcap_path(const fs::path& dir, const std::string& case_name) {
  std::vector<std::string> parts;
  for (std::size_t start = 0; start <= case_name.size();) {
    const std::size_t end = std::min(case_name.find('/', start), case_name.size());
    std::string part = case_name.substr(start, end - start);
    if (part == "..") part = "__";
    if (!part.empty() && part != ".") parts.push_back(std::move(part));
    start = end + 1;
  }
  if (parts.empty()) parts.push_back("case");
  fs::path file = dir;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) file /= parts[i];
  return file / (parts.back() + ".pcap");
}

std::optional<std::string> prepare_pcap_folders(const fs::path& dir,
                                                const std::vector<std::string>& case_names) {
  if (dir.empty()) return "an empty path";
  std::set<fs::path> folders{dir};
  for (const std::string& name : case_names) folders.insert(pcap_path(dir, name).parent_path());
  for (const fs::path& folder : folders)
    if (auto problem = reports::destination_problem(reports::Destination::folder, folder))
      return folder == dir ? *problem : folder.string() + ": " + *problem;
  return std::nullopt;
}

}  // namespace sockdrill
