// Where `--pcap DIR` puts each case's capture: DIR/NAME.pcap, each '/' in a case's name a subfolder.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sockdrill {

// DIR/NAME.pcap, always inside DIR: a case named by its path as given (an absolute path,
// "../x") keeps its other parts, its empty and "." parts dropped and each ".." made "__".
std::filesystem::path pcap_path(const std::filesystem::path& dir, const std::string& case_name);

// Before a run: makes the folders every case's capture goes in and checks that a file can be
// created in each. The first problem (a subfolder's named: "DIR/sub: cannot create the
// folder: ..."), or nullopt.
std::optional<std::string> prepare_pcap_folders(const std::filesystem::path& dir,
                                                const std::vector<std::string>& case_names);

}  // namespace sockdrill
